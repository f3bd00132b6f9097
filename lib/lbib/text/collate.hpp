// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

struct sqlite3;

/// Swedish order and case-insensitive search with ICU: Å, Ä and Ö after Z, and "åsa" finding
/// "Åsa" (a byte comparison and SQLite's ASCII-only upper()/LIKE get both wrong).
namespace lbib::text {

/// Compares two UTF-8 strings in Swedish collation order: <0, 0 or >0.
int compare_swedish(std::string_view a, std::string_view b);

/// `s` case-folded (Unicode full case folding), for case-insensitive search.
std::string fold_case(std::string_view s);

/// `s` as an identity is compared when looking for the same person twice: Unicode NFKC with
/// case folding, every run of white space (any Unicode space) one space, none at either end
/// ("  Anna   ANDERSSON " and "anna andersson" are the same).
std::string fold_identity(std::string_view s);

/// The digits of a phone number in national form ("+46 70-1" and "070-1" both give "0701").
std::string phone_digits(std::string_view phone);

/// `s` case-folded with its accents removed ("Åsa", "ASA" and "åsa" all give "asa"), for
/// finding mentions of a person in free text, where over-matching is the safe side.
std::string fold_for_match(std::string_view s);

/// fold_for_match through ICU whatever `s` holds (fold_for_match takes it for text outside
/// ASCII and the Latin letters of its table; a unit test compares the two).
std::string fold_for_match_by_icu(std::string_view s);

/// Registers with a connection the collation "sv" (ORDER BY name COLLATE sv) and the functions
/// sv_fold(text) (fold_case in SQL), sv_fold_identity(text) (fold_identity),
/// sv_phone_digits(text) (phone_digits) and sv_mention_keys(name, email, phone) (mention_keys in
/// words.hpp, as a JSON array), all NULL for a NULL (first) argument. The ICU collator is opened on
/// first use, so commands that never sort text pay nothing for it.
void register_collation(sqlite3* db);

}  // namespace lbib::text
