//! Composite foreign keys (`order_lines` → `orders(region, number)` and the nullable
//! `order_lines(shelf_aisle, shelf_slot)` → `shelves(aisle, slot)`) through the generated
//! queries on real SQLite, PostgreSQL and MariaDB: the loaders match both columns at
//! once, both ways, skip a half-NULL key, and the database carries out each key's actions.

use modelgen_types_example::models::{NewOrder, NewOrderLine, NewShelf, OrderLine};

#[allow(dead_code)]
#[path = "common/samples.rs"]
#[macro_use]
mod samples;

macro_rules! scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::{order, order_line, shelf};
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        // Two orders that share each half of their key with the other: only a match on
        // both columns finds the right one.
        let eu1 = order::insert(&pool, &NewOrder::new("eu".into(), 1, "ann".into()))
            .await
            .unwrap();
        let us2 = order::insert(&pool, &NewOrder::new("us".into(), 2, "bob".into()))
            .await
            .unwrap();
        order::insert(&pool, &NewOrder::new("eu".into(), 2, "cat".into()))
            .await
            .unwrap();
        let a7 = shelf::insert(&pool, &NewShelf::new("a".into(), 7)).await.unwrap();
        let line = |region: &str, number: i32, shelf: Option<(&str, i32)>| {
            let mut new = NewOrderLine::new(region.into(), number, 1);
            new.shelf_aisle = shelf.map(|s| s.0.to_owned());
            new.shelf_slot = shelf.map(|s| s.1);
            new
        };
        let l1 = order_line::insert(&pool, &line("eu", 1, Some(("a", 7)))).await.unwrap();
        let l2 = order_line::insert(&pool, &line("us", 2, None)).await.unwrap();
        let l3 = order_line::insert(&pool, &line("eu", 1, None)).await.unwrap();
        // Half a key is no key: the database does not check it, and the loader skips it.
        let mut half = line("us", 2, None);
        half.shelf_aisle = Some("a".into());
        let l4 = order_line::insert(&pool, &half).await.unwrap();

        let placed_by = |orders: Vec<modelgen_types_example::models::Order>| {
            orders.into_iter().map(|o| o.placed_by).collect::<Vec<_>>()
        };
        let ids = |lines: Vec<OrderLine>| {
            let mut ids: Vec<i32> = lines.into_iter().map(|l| l.id).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            placed_by(
                order_line::load_order(&pool, &[l1.clone(), l2.clone(), l3.clone()])
                    .await
                    .unwrap()
            ),
            ["ann", "bob"],
            "{d:?}"
        );
        assert_eq!(
            ids(order::load_lines(&pool, std::slice::from_ref(&eu1)).await.unwrap()),
            [l1.id, l3.id],
            "{d:?}"
        );
        assert_eq!(
            ids(order::load_lines(&pool, std::slice::from_ref(&us2)).await.unwrap()),
            [l2.id, l4.id],
            "{d:?}"
        );
        let shelves = order_line::load_shelf(&pool, &[l1.clone(), l2.clone(), l4.clone()])
            .await
            .unwrap();
        assert_eq!(shelves.iter().map(|s| s.id).collect::<Vec<_>>(), [a7.id], "{d:?}");
        assert_eq!(
            ids(shelf::load_lines(&pool, std::slice::from_ref(&a7)).await.unwrap()),
            [l1.id],
            "{d:?}"
        );

        // A key that matches no order on both columns is refused.
        assert!(order_line::insert(&pool, &line("us", 1, None)).await.is_err(), "{d:?}");
        // ON UPDATE CASCADE follows a changed order key into its lines.
        sqlx::query("UPDATE orders SET number = 9 WHERE region = 'eu' AND number = 1")
            .execute(&pool)
            .await
            .unwrap();
        let moved = order_line::get(&pool, l1.id).await.unwrap().unwrap();
        assert_eq!((moved.order_region.as_str(), moved.order_number), ("eu", 9), "{d:?}");
        // ON DELETE SET NULL empties both columns of the shelf key.
        assert!(shelf::delete(&pool, a7.id).await.unwrap(), "{d:?}");
        let unshelved = order_line::get(&pool, l1.id).await.unwrap().unwrap();
        assert_eq!((unshelved.shelf_aisle, unshelved.shelf_slot), (None, None), "{d:?}");
        // ON DELETE CASCADE takes an order's lines with it.
        assert!(order::delete(&pool, "us", 2).await.unwrap(), "{d:?}");
        assert!(order_line::get(&pool, l2.id).await.unwrap().is_none(), "{d:?}");
        assert!(order_line::get(&pool, l4.id).await.unwrap().is_none(), "{d:?}");
        assert!(order_line::get(&pool, l3.id).await.unwrap().is_some(), "{d:?}");
    }};
}

on_three_databases!(
    scenario,
    "types_composite_keys",
    composite_keys_on_sqlite,
    composite_keys_on_postgres,
    composite_keys_on_mariadb
);
