//! INN (ИНН), the Russian taxpayer number: 10 digits for a company, 12 for a person,
//! with check digits.

/// The check digit for `digits` under `weights` (sum mod 11 mod 10).
fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
}

const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12_1: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12_2: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// Whether `inn` is a well-formed INN with correct check digits.
pub fn is_valid(inn: &str) -> bool {
    let digits: Vec<u32> = inn.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != inn.len() {
        return false;
    }
    match digits.len() {
        10 => check_digit(&digits[..9], &W10) == digits[9],
        12 => check_digit(&digits[..10], &W12_1) == digits[10] && check_digit(&digits[..11], &W12_2) == digits[11],
        _ => false,
    }
}

/// Completes nine digits into a valid company INN (for generated demo data and tests).
pub fn complete_company(first_nine: [u32; 9]) -> String {
    let check = check_digit(&first_nine, &W10);
    first_nine.iter().chain(std::iter::once(&check)).map(|d| char::from_digit(*d, 10).expect("digit")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_company_and_person_numbers_are_valid() {
        assert!(is_valid("7707083893")); // a well-known bank
        assert!(is_valid("500100732259"));
    }

    #[test]
    fn a_changed_digit_is_caught() {
        assert!(!is_valid("7707083894"));
        assert!(!is_valid("770708389"));
        assert!(!is_valid("77070838a3"));
    }

    proptest! {
        #[test]
        fn completed_numbers_are_valid(d in proptest::array::uniform9(0u32..10)) {
            prop_assert!(is_valid(&complete_company(d)));
        }
    }
}
