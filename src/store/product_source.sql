SELECT product_id, day, sum(sold), sum(refunded), sum(revenue), sum(known_revenue), sum(cost),
       sum(refund_revenue), sum(known_lines), sum(lines)
FROM (
    SELECT i.product_id, o.order_date AS day, i.quantity AS sold, 0 AS refunded, i.revenue,
           CASE WHEN i.unit_cost > 0 THEN i.revenue ELSE 0 END AS known_revenue, i.quantity * i.unit_cost AS cost,
           0 AS refund_revenue, i.unit_cost > 0 AS known_lines, 1 AS lines
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE @SALE@@ORDERS@
    UNION ALL
    SELECT product_id, paid_on, 0, quantity, -share, -CASE WHEN unit_cost > 0 THEN share ELSE 0 END,
           -CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END, share, unit_cost > 0, 1
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.kind = 'refund' AND @SALE@@PAYMENTS@))
)
GROUP BY product_id, day
