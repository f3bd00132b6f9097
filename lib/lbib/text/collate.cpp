// SPDX-License-Identifier: MIT
#include "lbib/text/collate.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/uiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "lbib/error.hpp"
#include "lbib/text/words.hpp"

namespace lbib::text {
namespace {

struct CollatorClose {
  void operator()(UCollator* c) const { ucol_close(c); }
};
struct CaseMapClose {
  void operator()(UCaseMap* m) const { ucasemap_close(m); }
};

UCollator* swedish() {
  static const std::unique_ptr<UCollator, CollatorClose> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCollator, CollatorClose> c(ucol_open("sv_SE", &status));
    if (U_FAILURE(status)) {
      throw make_error(ExitCode::software, "ICU cannot open the Swedish collation: {}",
                       u_errorName(status));
    }
    return c;
  }();
  return collator.get();
}

int sql_compare(void* /*unused*/, int a_size, const void* a, int b_size, const void* b) {
  return compare_swedish(
      std::string_view(static_cast<const char*>(a), static_cast<std::size_t>(a_size)),
      std::string_view(static_cast<const char*>(b), static_cast<std::size_t>(b_size)));
}

// A text function of SQL that applies `Fold` to its one argument (NULL stays NULL).
template <std::string (*Fold)(std::string_view)>
void sql_text_function(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto size = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
  try {
    const std::string folded = Fold(std::string_view(text, size));
    sqlite3_result_text(context, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
  } catch (const std::exception& e) {
    sqlite3_result_error(context, e.what(), -1);
  }
}

// sv_mention_keys(name, email, phone): mention_keys as a JSON array of strings, for json_each
// (migration 25 and privacy::refresh_mention_keys). A NULL name gives NULL.
void sql_mention_keys(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto arg = [argv](int i) -> std::optional<std::string_view> {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
      return std::nullopt;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
    return std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[i])));
  };
  try {
    std::string json = "[";
    for (const auto& key : mention_keys(*arg(0), arg(1), arg(2))) {
      if (json.size() > 1) {
        json.push_back(',');
      }
      json.push_back('"');
      for (const char c : key) {
        if (c == '"' || c == '\\') {
          json.push_back('\\');
          json.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
          json += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          json.push_back(c);
        }
      }
      json.push_back('"');
    }
    json.push_back(']');
    sqlite3_result_text(context, json.data(), static_cast<int>(json.size()), SQLITE_TRANSIENT);
  } catch (const std::exception& e) {
    sqlite3_result_error(context, e.what(), -1);
  }
}

}  // namespace

int compare_swedish(std::string_view a, std::string_view b) {
  UErrorCode status = U_ZERO_ERROR;
  const UCollationResult r = ucol_strcollUTF8(swedish(), a.data(), static_cast<int32_t>(a.size()),
                                              b.data(), static_cast<int32_t>(b.size()), &status);
  if (U_FAILURE(status)) {
    return a.compare(b);  // not valid UTF-8 (never stored): byte order
  }
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

std::string fold_case(std::string_view s) {
  static const std::unique_ptr<UCaseMap, CaseMapClose> map = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCaseMap, CaseMapClose> m(ucasemap_open("sv", U_FOLD_CASE_DEFAULT, &status));
    if (U_FAILURE(status)) {
      throw make_error(ExitCode::software, "ICU cannot open case folding: {}", u_errorName(status));
    }
    return m;
  }();
  std::string out(s.size() + 16, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucasemap_utf8FoldCase(map.get(), out.data(), static_cast<int32_t>(out.size()),
                                            s.data(), static_cast<int32_t>(s.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(static_cast<std::size_t>(n));
      continue;
    }
    if (U_FAILURE(status)) {
      return std::string(s);
    }
    out.resize(static_cast<std::size_t>(n));
    return out;
  }
  return std::string(s);
}

std::string phone_digits(std::string_view phone) {
  std::string digits;
  for (const char c : phone) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  const auto plus = phone.find_first_not_of(" \t");
  if (plus != std::string_view::npos && phone[plus] == '+' && digits.rfind("46", 0) == 0) {
    digits = "0" + digits.substr(2);  // +46 70 ... is 070 ... in Sweden
  } else if (digits.rfind("0046", 0) == 0) {
    digits = "0" + digits.substr(4);
  }
  return digits;
}

std::string fold_identity(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    throw make_error(ExitCode::software, "ICU cannot open NFKC case folding: {}",
                     u_errorName(status));
  }
  const auto in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const icu::UnicodeString folded = nfkc_cf->normalize(in, status);
  if (U_FAILURE(status)) {
    return fold_case(s);  // not valid UTF-8 (never stored)
  }
  icu::UnicodeString spaced;
  bool space = false;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) != 0) {
      space = !spaced.isEmpty();
      continue;
    }
    if (space) {
      spaced.append(UChar32{' '});
      space = false;
    }
    spaced.append(c);
  }
  std::string out;
  spaced.toUTF8String(out);
  return out;
}

void register_collation(sqlite3* db) {
  if (sqlite3_create_collation_v2(db, "sv", SQLITE_UTF8, nullptr, sql_compare, nullptr) !=
          SQLITE_OK ||
      sqlite3_create_function_v2(db, "sv_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                 sql_text_function<fold_case>, nullptr, nullptr,
                                 nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db, "sv_fold_identity", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 nullptr, sql_text_function<fold_identity>, nullptr, nullptr,
                                 nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db, "sv_phone_digits", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 nullptr, sql_text_function<phone_digits>, nullptr, nullptr,
                                 nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db, "sv_mention_keys", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 nullptr, sql_mention_keys, nullptr, nullptr,
                                 nullptr) != SQLITE_OK) {
    throw make_error(ExitCode::software, "cannot register the Swedish collation: {}",
                     sqlite3_errmsg(db));
  }
}

namespace {

// What fold_for_match makes of each letter from U+00C0 to U+017F (Latin-1 and Latin Extended-A:
// Swedish, the Nordic and most European names), as ICU's path gives it; nullptr for the few
// that are not letters or do not become plain ASCII letters (×, ÷, ŉ); a row for each 16,
// from U+00C0. A unit test compares every entry with ICU's path.
constexpr std::array<const char*, 0x180 - 0xC0> k_latin_folded{
    "a", "a", "a",  "a",  "a", "a", "ae", "c",     "e", "e",     "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  nullptr, "o", "u",     "u", "u", "u", "y", "th", "ss",
    "a", "a", "a",  "a",  "a", "a", "ae", "c",     "e", "e",     "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  nullptr, "o", "u",     "u", "u", "u", "y", "th", "y",
    "a", "a", "a",  "a",  "a", "a", "c",  "c",     "c", "c",     "c", "c", "c", "c", "d",  "d",
    "d", "d", "e",  "e",  "e", "e", "e",  "e",     "e", "e",     "e", "e", "g", "g", "g",  "g",
    "g", "g", "g",  "g",  "h", "h", "h",  "h",     "i", "i",     "i", "i", "i", "i", "i",  "i",
    "i", "i", "ij", "ij", "j", "j", "k",  "k",     "q", "l",     "l", "l", "l", "l", "l",  "l",
    "l", "l", "l",  "n",  "n", "n", "n",  "n",     "n", nullptr, "n", "n", "o", "o", "o",  "o",
    "o", "o", "oe", "oe", "r", "r", "r",  "r",     "r", "r",     "s", "s", "s", "s", "s",  "s",
    "s", "s", "t",  "t",  "t", "t", "t",  "t",     "u", "u",     "u", "u", "u", "u", "u",  "u",
    "u", "u", "u",  "u",  "w", "w", "y",  "y",     "y", "z",     "z", "z", "z", "z", "z",  "s",
};

// `s` folded through the table above when every character is ASCII or in it; false (and
// `out` unspecified) when ICU must fold it. Case folding and the transliteration of these
// letters do not depend on their neighbours, so the table folds a name as ICU does.
bool fold_latin(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
      continue;
    }
    // Two bytes, 110xxxxx 10xxxxxx: U+0080 to U+07FF.
    if ((c & 0xE0) != 0xC0 || i + 1 >= s.size() ||
        (static_cast<unsigned char>(s[i + 1]) & 0xC0) != 0x80) {
      return false;
    }
    const unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
    if (code < 0xC0 || code >= 0x180 || k_latin_folded[code - 0xC0] == nullptr) {
      return false;
    }
    out += k_latin_folded[code - 0xC0];
    ++i;
  }
  return true;
}

}  // namespace

std::string fold_for_match(std::string_view s) {
  // Plain ASCII (most e-mail addresses, many names): case folding is lowercasing, and the
  // transliteration changes nothing. A hundred times faster than through ICU. So for the
  // accented Latin letters of most names (å, ä, ö, é, ø, ł ...) by a table, sparing the
  // 150 million instructions of building ICU's transliterator.
  std::string out;
  if (fold_latin(s, out)) {
    return out;
  }
  return fold_for_match_by_icu(s);
}

std::string fold_for_match_by_icu(std::string_view s) {
  // Case folded, then every Latin letter to plain ASCII: "Åsa" and "asa", "Søren" and
  // "Soren", "Łukasz" and "Lukasz" match. Built once; a transliterator is costly to open.
  static const std::unique_ptr<icu::Transliterator> to_ascii = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; NFC", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
  u.foldCase();
  if (to_ascii) {
    to_ascii->transliterate(u);
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::vector<std::string> mention_keys(std::string_view name, std::optional<std::string_view> email,
                                      std::optional<std::string_view> phone) {
  std::vector<std::string> keys;
  const auto add = [&keys](std::string key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  };
  any_word_of(name, [&add](std::string_view raw) {
    auto part = fold_for_match(raw);
    if (is_matched_name_part(part)) {
      add(std::move(part));
    }
    return false;  // every word
  });
  if (email && !email->empty()) {
    add(fold_for_match(*email));
  }
  if (phone) {
    auto digits = phone_digits(*phone);
    if (digits.size() >= 5) {  // fewer digits would match dates and counts
      add(std::move(digits));
    }
  }
  return keys;
}

}  // namespace lbib::text
