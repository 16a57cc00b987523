//! The demo data's vocabulary: French names, towns, vehicles, PPF packages.

/// Given names (some with accents, as a French workshop's client file has them).
pub const FIRST_NAMES: [&str; 48] = [
    "Léa",
    "Emma",
    "Chloé",
    "Camille",
    "Manon",
    "Inès",
    "Jade",
    "Louise",
    "Zoé",
    "Sarah",
    "Juliette",
    "Alice",
    "Clara",
    "Anaïs",
    "Hélène",
    "Nathalie",
    "Isabelle",
    "Sophie",
    "Céline",
    "Aurélie",
    "Margaux",
    "Élodie",
    "Pauline",
    "Laura",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Nathan",
    "Théo",
    "Raphaël",
    "Thomas",
    "Nicolas",
    "Julien",
    "Antoine",
    "Maxime",
    "Alexandre",
    "Jérôme",
    "François",
    "Sébastien",
    "Mathieu",
    "Olivier",
    "Karim",
    "Mehdi",
    "Yanis",
    "Benoît",
];

/// Family names.
pub const LAST_NAMES: [&str; 48] = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
];

/// Town, postcode, region.
pub const TOWNS: [(&str, &str, &str); 20] = [
    ("Paris", "75015", "Île-de-France"),
    ("Boulogne-Billancourt", "92100", "Île-de-France"),
    ("Versailles", "78000", "Île-de-France"),
    ("Lyon", "69003", "Auvergne-Rhône-Alpes"),
    ("Villeurbanne", "69100", "Auvergne-Rhône-Alpes"),
    ("Grenoble", "38000", "Auvergne-Rhône-Alpes"),
    ("Annecy", "74000", "Auvergne-Rhône-Alpes"),
    ("Marseille", "13008", "Provence-Alpes-Côte d'Azur"),
    ("Aix-en-Provence", "13100", "Provence-Alpes-Côte d'Azur"),
    ("Nice", "06000", "Provence-Alpes-Côte d'Azur"),
    ("Toulouse", "31000", "Occitanie"),
    ("Montpellier", "34000", "Occitanie"),
    ("Bordeaux", "33000", "Nouvelle-Aquitaine"),
    ("Nantes", "44000", "Pays de la Loire"),
    ("Rennes", "35000", "Bretagne"),
    ("Lille", "59000", "Hauts-de-France"),
    ("Strasbourg", "67000", "Grand Est"),
    ("Dijon", "21000", "Bourgogne-Franche-Comté"),
    ("Rouen", "76000", "Normandie"),
    ("Tours", "37000", "Centre-Val de Loire"),
];

/// Street names, after a house number.
pub const STREETS: [&str; 16] = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue Pasteur",
    "avenue de la Gare",
    "rue des Lilas",
    "chemin des Vignes",
    "rue du Moulin",
    "place de l'Église",
    "allée des Tilleuls",
    "rue Émile Zola",
    "avenue Foch",
    "rue de Verdun",
    "impasse des Acacias",
    "route de Paris",
];

/// Mailbox providers of private clients.
pub const MAIL_DOMAINS: [&str; 8] = [
    "gmail.com",
    "orange.fr",
    "free.fr",
    "outlook.fr",
    "laposte.net",
    "hotmail.fr",
    "sfr.fr",
    "yahoo.fr",
];

/// Kinds of company, with how the name is built from a family name.
pub const COMPANY_KINDS: [(&str, &str); 8] = [
    ("Garage ", ""),
    ("Transports ", ""),
    ("", " Automobiles"),
    ("Taxis ", ""),
    ("", " Location"),
    ("Ambulances ", ""),
    ("", " Prestige Cars"),
    ("VTC ", ""),
];

/// Make, then models.
pub const VEHICLES: [(&str, [&str; 4]); 14] = [
    ("Tesla", ["Model 3", "Model Y", "Model S", "Model X"]),
    ("Porsche", ["911 Carrera", "Taycan", "Macan", "Cayenne"]),
    ("BMW", ["M3", "M4", "X5", "i4"]),
    ("Audi", ["RS3", "RS6 Avant", "Q8 e-tron", "A5 Sportback"]),
    ("Mercedes-Benz", ["Classe C", "AMG GT", "GLE", "EQS"]),
    ("Volkswagen", ["Golf R", "ID.4", "Tiguan", "Polo GTI"]),
    (
        "Renault",
        ["Mégane E-Tech", "Austral", "Clio", "Alpine A110"],
    ),
    ("Peugeot", ["508", "3008", "208", "e-2008"]),
    ("Toyota", ["GR Yaris", "RAV4", "Supra", "C-HR"]),
    ("Volvo", ["XC60", "XC90", "EX30", "V60"]),
    (
        "Ford",
        ["Mustang Mach-E", "Puma ST", "Ranger", "Transit Custom"],
    ),
    ("Kia", ["EV6", "Sportage", "Niro", "EV9"]),
    ("Ferrari", ["Roma", "296 GTB", "F8 Tributo", "Purosangue"]),
    (
        "Lamborghini",
        ["Huracán", "Urus", "Revuelto", "Huracán EVO"],
    ),
];

/// The standard PPF zones, in the order a task lists them.
pub const ZONES: [&str; 8] = [
    "hood",
    "left_fender",
    "right_fender",
    "bumper",
    "mirrors",
    "sills",
    "roof",
    "doors",
];

/// Named packages: (title, zones as bits of [`ZONES`]), weight. A mask of 0 is "a few zones at random".
pub const PACKAGES: [((&str, u8), u32); 7] = [
    (("Full front", 0b0001_1111), 34),
    (("Full body", 0b1111_1111), 12),
    (("Partial front", 0b0001_1001), 20),
    (("Bumper", 0b0000_1000), 9),
    (("Sills and doors", 0b1010_0000), 6),
    (("Roof and mirrors", 0b0101_0000), 4),
    (("PPF", 0), 15),
];

/// Optional task descriptions.
pub const DESCRIPTIONS: [&str; 10] = [
    "Customer wants a matte finish on the film.",
    "Remove the old film first; the previous install is yellowing.",
    "Check the stone chips on the hood before installing.",
    "Ceramic coating to apply after the film has cured.",
    "Fleet vehicle: invoice the company, not the driver.",
    "Pick-up requested before 18:00.",
    "New car delivered this week; paint is perfect.",
    "Wrap the edges on the bumper where possible.",
    "Customer will wait on site; keep the lounge free.",
    "Paint correction on the doors before the film.",
];

/// Optional notes on a task or client.
pub const NOTES: [&str; 8] = [
    "Prefers morning appointments.",
    "Pays by bank transfer.",
    "Referred by a previous customer.",
    "Keys in the drop box after hours.",
    "Call before starting any extra work.",
    "Second vehicle planned next year.",
    "Asked for photos of the finished job.",
    "Parking at the back of the workshop.",
];

/// Labels a task may carry.
pub const TASK_TAGS: [&str; 5] = ["warranty", "vip", "repeat", "rush", "dealer"];

/// Labels a client may carry.
pub const CLIENT_TAGS: [&str; 4] = ["vip", "referral", "instagram", "dealer"];
