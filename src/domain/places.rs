//! Built-in places for generated addresses: real cities with believable
//! streets and postcodes, written the way each country writes them.

use super::retail::Address;
use super::rng::SplitMix64;

/// Where the house number goes in a street line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberStyle {
    /// "221 Baker Street"
    Before,
    /// "Hauptstraße 12"
    After,
}

/// A city with a few of its streets and postcodes.
#[derive(Debug)]
pub struct Place {
    pub city: &'static str,
    pub country: &'static str,
    pub style: NumberStyle,
    pub streets: &'static [&'static str],
    pub postcodes: &'static [&'static str],
}

use NumberStyle::{After, Before};

// One place per line reads better than rustfmt's layout.
/// The cities addresses are drawn from.
#[rustfmt::skip]
pub const PLACES: [Place; 16] = [
    Place { city: "London", country: "United Kingdom", style: Before,
        streets: &["Baker Street", "Camden Road", "Fleet Street", "Brick Lane", "King's Road"],
        postcodes: &["NW1 6XE", "NW1 9LR", "EC4A 2BB", "E1 6QL", "SW3 4UD"] },
    Place { city: "Manchester", country: "United Kingdom", style: Before,
        streets: &["Deansgate", "Oxford Road", "Oldham Street", "Portland Street"],
        postcodes: &["M3 4LQ", "M13 9PL", "M4 1LE", "M1 3BE"] },
    Place { city: "Edinburgh", country: "United Kingdom", style: Before,
        streets: &["Royal Mile", "Princes Street", "Leith Walk", "George Street"],
        postcodes: &["EH1 1RE", "EH2 2ER", "EH6 8RG", "EH2 3ES"] },
    Place { city: "Dublin", country: "Ireland", style: Before,
        streets: &["Grafton Street", "Capel Street", "Baggot Street", "Dame Street"],
        postcodes: &["D02 X285", "D01 R2P3", "D02 KF79", "D02 P656"] },
    Place { city: "Berlin", country: "Germany", style: After,
        streets: &["Kastanienallee", "Oranienstraße", "Torstraße", "Bergmannstraße"],
        postcodes: &["10435", "10999", "10119", "10961"] },
    Place { city: "Munich", country: "Germany", style: After,
        streets: &["Leopoldstraße", "Sendlinger Straße", "Türkenstraße"],
        postcodes: &["80802", "80331", "80799"] },
    Place { city: "Paris", country: "France", style: Before,
        streets: &["rue de Rivoli", "rue Oberkampf", "boulevard Voltaire", "rue du Bac"],
        postcodes: &["75001", "75011", "75011", "75007"] },
    Place { city: "Lyon", country: "France", style: Before,
        streets: &["rue de la République", "quai Saint-Antoine", "rue Mercière"],
        postcodes: &["69002", "69002", "69002"] },
    Place { city: "Amsterdam", country: "Netherlands", style: After,
        streets: &["Keizersgracht", "Prinsengracht", "Haarlemmerstraat", "Ferdinand Bolstraat"],
        postcodes: &["1016 DK", "1015 HK", "1013 ER", "1072 LJ"] },
    Place { city: "Madrid", country: "Spain", style: After,
        streets: &["Calle de Alcalá", "Gran Vía", "Calle de Atocha", "Calle Mayor"],
        postcodes: &["28014", "28013", "28012", "28013"] },
    Place { city: "Milan", country: "Italy", style: After,
        streets: &["Via Torino", "Corso Buenos Aires", "Via Paolo Sarpi"],
        postcodes: &["20123", "20124", "20154"] },
    Place { city: "Stockholm", country: "Sweden", style: After,
        streets: &["Drottninggatan", "Götgatan", "Hornsgatan", "Sveavägen"],
        postcodes: &["111 51", "118 46", "118 20", "113 59"] },
    Place { city: "Lisbon", country: "Portugal", style: After,
        streets: &["Rua Augusta", "Rua da Prata", "Avenida da Liberdade"],
        postcodes: &["1100-053", "1100-419", "1250-096"] },
    Place { city: "Lagos", country: "Nigeria", style: Before,
        streets: &["Awolowo Road", "Allen Avenue", "Adeola Odeku Street"],
        postcodes: &["106104", "100271", "101241"] },
    Place { city: "Bengaluru", country: "India", style: Before,
        streets: &["MG Road", "Church Street", "Indiranagar 100 Feet Road"],
        postcodes: &["560001", "560001", "560038"] },
    Place { city: "Toronto", country: "Canada", style: Before,
        streets: &["Queen Street West", "Spadina Avenue", "Yonge Street", "Dundas Street East"],
        postcodes: &["M5V 2A8", "M5T 2C2", "M4Y 1X5", "M5A 1R9"] },
];

/// An address by the indices of its parts: a few bytes per customer, so a
/// generator can remember every customer's current address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressCode {
    pub place: u8,
    pub street: u8,
    pub number: u16,
}

impl AddressCode {
    /// An address drawn from the built-in places.
    pub fn random(rng: &mut SplitMix64) -> AddressCode {
        let place = rng.index(PLACES.len());
        let highest = match PLACES[place].style {
            NumberStyle::Before => 240,
            NumberStyle::After => 120,
        };
        AddressCode {
            place: place as u8,
            street: rng.index(PLACES[place].streets.len()) as u8,
            number: rng.between(1, highest) as u16,
        }
    }

    pub fn place(self) -> &'static Place {
        &PLACES[usize::from(self.place) % PLACES.len()]
    }

    /// The full address this code stands for.
    pub fn address(self) -> Address {
        let place = self.place();
        let street_index = usize::from(self.street) % place.streets.len();
        let street_name = place.streets[street_index];
        let street = match place.style {
            Before => format!("{} {street_name}", self.number),
            After => format!("{street_name} {}", self.number),
        };
        Address {
            street,
            city: place.city.to_string(),
            postcode: place.postcodes[street_index % place.postcodes.len()].to_string(),
            country: place.country.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_has_a_postcode_for_each_street() {
        for place in &PLACES {
            assert_eq!(place.streets.len(), place.postcodes.len(), "{}", place.city);
        }
    }

    #[test]
    fn house_numbers_follow_the_country_style() {
        let london = AddressCode {
            place: 0,
            street: 0,
            number: 221,
        }
        .address();
        assert_eq!(london.street, "221 Baker Street");
        assert_eq!(london.postcode, "NW1 6XE");
        let berlin = AddressCode {
            place: 4,
            street: 1,
            number: 12,
        }
        .address();
        assert_eq!(berlin.street, "Oranienstraße 12");
        assert_eq!(berlin.country, "Germany");
    }
}
