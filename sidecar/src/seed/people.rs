//! The workshop's people: technician accounts and clients, individuals and businesses.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use uuid::Uuid;

use super::plan::DAYS_PAST;
use super::words::{
    CLIENT_TAGS, COMPANY_KINDS, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, NOTES, STREETS, TOWNS,
};
use super::{DAY_MS, one, phone, slug, uuid};
use crate::clients::CustomerType;

pub(super) struct Technician {
    pub(super) id: Uuid,
    pub(super) email: String,
    pub(super) username: String,
    pub(super) first_name: &'static str,
    pub(super) last_name: &'static str,
    pub(super) phone: String,
    pub(super) created_at: i64,
}

/// Technicians with handles and emails no live user has yet (a forced second run adds more).
pub(super) fn technicians(
    rng: &mut StdRng,
    count: usize,
    taken: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Vec<Technician> {
    let mut usernames: HashSet<String> = taken.iter().map(|(u, _)| u.clone()).collect();
    let mut emails: HashSet<String> = taken.into_iter().map(|(_, e)| e).collect();
    (0..count)
        .map(|_| {
            let first_name = one(rng, &FIRST_NAMES);
            let last_name = one(rng, &LAST_NAMES);
            let base = format!("{}.{}", slug(first_name), slug(last_name));
            let (username, email) = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}{n}")
                    }
                })
                .map(|handle| {
                    let email = format!("{handle}@atelier.example");
                    (handle.replace('.', "-"), email)
                })
                .find(|(u, e)| !usernames.contains(u) && !emails.contains(e))
                .unwrap_or_default();
            usernames.insert(username.clone());
            emails.insert(email.clone());
            Technician {
                id: uuid(rng),
                email,
                username,
                first_name,
                last_name,
                phone: phone(rng),
                created_at: now.timestamp_millis() - (DAYS_PAST + 200) * DAY_MS,
            }
        })
        .collect()
}

pub(super) struct Client {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) kind: CustomerType,
    pub(super) street: String,
    pub(super) town: (&'static str, &'static str, &'static str),
    pub(super) tax_id: Option<String>,
    pub(super) company: Option<String>,
    pub(super) contact: Option<String>,
    pub(super) notes: Option<&'static str>,
    pub(super) tags: String,
    pub(super) created_at: i64,
}

/// Clients: about one in six a business (with its company name and VAT number).
pub(super) fn clients(rng: &mut StdRng, count: usize, now: DateTime<Utc>) -> Vec<Client> {
    let oldest = now.timestamp_millis() - (DAYS_PAST + 180) * DAY_MS;
    (0..count)
        .map(|_| {
            let first = one(rng, &FIRST_NAMES);
            let last = one(rng, &LAST_NAMES);
            let person = format!("{first} {last}");
            let business = rng.random_bool(0.16);
            let (name, email, company, contact, tax_id, kind) = if business {
                let (prefix, suffix) = one(rng, &COMPANY_KINDS);
                let company_last = one(rng, &LAST_NAMES);
                let company = format!("{prefix}{company_last}{suffix}");
                let domain = format!(
                    "{}-{}.fr",
                    slug(&format!("{prefix}{suffix}")),
                    slug(company_last)
                );
                let email = format!("contact@{domain}");
                let tax_id = format!("FR{:011}", rng.random_range(0..100_000_000_000u64));
                (
                    company.clone(),
                    Some(email),
                    Some(company),
                    Some(person),
                    Some(tax_id),
                    CustomerType::Business,
                )
            } else {
                let email = format!(
                    "{}.{}{}@{}",
                    slug(first),
                    slug(last),
                    rng.random_range(1..100),
                    one(rng, &MAIL_DOMAINS)
                );
                let email = rng.random_bool(0.9).then_some(email);
                (person, email, None, None, None, CustomerType::Individual)
            };
            let tags = if rng.random_bool(0.2) {
                let tag = if business {
                    "fleet"
                } else {
                    one(rng, &CLIENT_TAGS)
                };
                format!("[\"{tag}\"]")
            } else {
                "[]".to_owned()
            };
            Client {
                id: uuid(rng),
                name,
                email,
                phone: rng.random_bool(0.95).then(|| phone(rng)),
                kind,
                street: format!("{} {}", rng.random_range(1..180), one(rng, &STREETS)),
                town: one(rng, &TOWNS),
                tax_id,
                company,
                contact,
                notes: rng.random_bool(0.1).then(|| one(rng, &NOTES)),
                tags,
                created_at: rng.random_range(oldest..now.timestamp_millis() - DAY_MS),
            }
        })
        .collect()
}
