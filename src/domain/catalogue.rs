//! The built-in product catalogue for generated orders: stock-keeping units
//! and their unit prices in cents.

/// A product a customer can order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Product {
    pub sku: &'static str,
    /// Unit price in cents.
    pub price: i64,
}

const fn product(sku: &'static str, price: i64) -> Product {
    Product { sku, price }
}

/// Everything the shop sells.
pub const PRODUCTS: [Product; 30] = [
    product("BOOK-SICP", 4_750),
    product("BOOK-DDD", 5_499),
    product("BOOK-REFACTORING", 4_299),
    product("BOOK-ENTERPRISE-PATTERNS", 5_999),
    product("MUG-CERAMIC-350ML", 1_299),
    product("MUG-ENAMEL-300ML", 1_499),
    product("TEA-EARL-GREY-100G", 699),
    product("TEA-SENCHA-80G", 949),
    product("COFFEE-BEANS-1KG", 2_399),
    product("COFFEE-GRINDER-HAND", 4_900),
    product("NOTEBOOK-A5-DOT", 1_250),
    product("NOTEBOOK-A4-LINED", 899),
    product("PEN-FOUNTAIN-F", 2_800),
    product("INK-BLUE-BLACK-50ML", 1_050),
    product("PENCIL-HB-12", 650),
    product("KEYBOARD-TKL-BROWN", 11_900),
    product("MOUSE-WIRELESS", 3_499),
    product("USB-C-CABLE-2M", 1_299),
    product("HEADPHONES-OVER-EAR", 14_999),
    product("DESK-LAMP-LED", 3_950),
    product("BACKPACK-20L", 7_450),
    product("WATER-BOTTLE-750ML", 1_999),
    product("SOCKS-WOOL-3PACK", 1_800),
    product("TSHIRT-ORGANIC-M", 2_200),
    product("HOODIE-GREY-L", 4_900),
    product("PUZZLE-1000", 1_999),
    product("BOARDGAME-TICKET", 4_499),
    product("PLANT-POT-CLAY", 1_150),
    product("CANDLE-CEDAR", 1_650),
    product("CHOCOLATE-DARK-70", 399),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_are_unique_and_prices_positive() {
        for (i, a) in PRODUCTS.iter().enumerate() {
            assert!(a.price > 0, "{}", a.sku);
            assert!(
                PRODUCTS[i + 1..].iter().all(|b| b.sku != a.sku),
                "{}",
                a.sku
            );
        }
    }
}
