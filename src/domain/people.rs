//! Built-in names and e-mail addresses for generated customers and account
//! owners: people from several countries, so a log reads like a real shop's.

use super::rng::SplitMix64;

/// Given names from several countries.
pub const FIRST_NAMES: [&str; 64] = [
    "Ada", "Alan", "Grace", "Amara", "Chidi", "Ngozi", "Kwame", "Zanele", "Sofia", "Mateo",
    "Lucía", "Javier", "Camila", "João", "Beatriz", "Lukas", "Hanna", "Jonas", "Lena", "Émile",
    "Chloé", "Julien", "Margaux", "Giulia", "Marco", "Chiara", "Lars", "Ingrid", "Sven", "Astrid",
    "Maja", "Piotr", "Zofia", "Aino", "Eero", "Saoirse", "Cian", "Aoife", "Oliver", "Amelia",
    "Harry", "Isla", "Priya", "Arjun", "Ananya", "Rohan", "Mei", "Wei", "Hiroshi", "Yuki",
    "Haruto", "Sakura", "Min-jun", "Seo-yeon", "Omar", "Layla", "Yusuf", "Fatima", "Noah", "Emma",
    "Liam", "Olivia", "Mia", "Ethan",
];

/// Family names from several countries.
pub const LAST_NAMES: [&str; 64] = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Dlamini",
    "Nkosi",
    "García",
    "Fernández",
    "Rossi",
    "Bianchi",
    "Esposito",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Silva",
    "Santos",
    "Oliveira",
    "Jansen",
    "de Vries",
    "Bakker",
    "Andersson",
    "Johansson",
    "Nilsson",
    "Hansen",
    "Larsen",
    "Nowak",
    "Kowalski",
    "Virtanen",
    "Korhonen",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Sharma",
    "Patel",
    "Iyer",
    "Gupta",
    "Chen",
    "Wang",
    "Li",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Kim",
    "Park",
    "Haddad",
    "Khalil",
    "Yilmaz",
    "Novak",
    "Walker",
    "Nguyen",
];

/// E-mail domains (reserved example names, so no real mailbox is named).
pub const EMAIL_DOMAINS: [&str; 6] = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "post.example",
    "inbox.example",
];

/// A person's name by the indices of its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonName {
    pub first: u8,
    pub last: u8,
}

impl PersonName {
    /// A name drawn from the built-in lists.
    pub fn random(rng: &mut SplitMix64) -> PersonName {
        PersonName {
            first: rng.index(FIRST_NAMES.len()) as u8,
            last: rng.index(LAST_NAMES.len()) as u8,
        }
    }

    pub fn first(self) -> &'static str {
        FIRST_NAMES[usize::from(self.first) % FIRST_NAMES.len()]
    }

    pub fn last(self) -> &'static str {
        LAST_NAMES[usize::from(self.last) % LAST_NAMES.len()]
    }

    pub fn full(self) -> String {
        format!("{} {}", self.first(), self.last())
    }

    /// One of several believable e-mail addresses for this person; `variant`
    /// chooses the form and the domain, `number` tells namesakes apart.
    pub fn email(self, variant: u8, number: u64) -> String {
        let first = mailbox_part(self.first());
        let last = mailbox_part(self.last());
        let domain = EMAIL_DOMAINS[(usize::from(variant) + number as usize) % EMAIL_DOMAINS.len()];
        match variant % 4 {
            0 => format!("{first}.{last}@{domain}"),
            1 => format!("{first}.{last}{}@{domain}", number % 90 + 10),
            2 => format!("{}{last}@{domain}", first.get(..1).unwrap_or("x")),
            _ => format!("{first}{last}{}@{domain}", number % 1000),
        }
    }
}

/// Lower-case ASCII for a mailbox: accents dropped, spaces and apostrophes
/// removed ("Lefèvre" -> "lefevre", "O'Brien" -> "obrien").
pub fn mailbox_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'a'..='z' | '0'..='9' | '-' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'á' | 'à' | 'ã' | 'â' | 'ä' | 'å' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'õ' | 'ô' | 'ö' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ñ' => out.push('n'),
            'ç' => out.push('c'),
            'ß' => out.push_str("ss"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_parts_are_plain_ascii() {
        for name in FIRST_NAMES.iter().chain(LAST_NAMES.iter()) {
            let part = mailbox_part(name);
            assert!(!part.is_empty(), "{name}");
            assert!(
                part.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name} -> {part}"
            );
        }
        assert_eq!(mailbox_part("O'Brien"), "obrien");
        assert_eq!(mailbox_part("Lefèvre"), "lefevre");
    }

    #[test]
    fn every_email_form_is_an_address() {
        let name = PersonName { first: 0, last: 0 };
        for variant in 0..8 {
            let email = name.email(variant, 41);
            let (local, domain) = email.split_once('@').unwrap();
            assert!(
                !local.is_empty() && EMAIL_DOMAINS.contains(&domain),
                "{email}"
            );
        }
        assert_eq!(name.email(0, 0), "ada.lovelace@example.com");
    }
}
