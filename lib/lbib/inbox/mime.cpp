// SPDX-License-Identifier: MIT
#include "lbib/inbox/mime.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <mutex>

#include "lbib/text/collate.hpp"

// GMime and GLib are C libraries whose type-check macros (GMIME_IS_MULTIPART, ...) are C
// casts: this file, the only one that includes them, allows old-style casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#include <gmime/gmime.h>

namespace lbib::inbox {
namespace {

// Owns one GObject reference.
template <typename T>
struct GObjectRef {
  T* p = nullptr;
  explicit GObjectRef(T* object) : p(object) {}
  GObjectRef(const GObjectRef&) = delete;
  GObjectRef& operator=(const GObjectRef&) = delete;
  ~GObjectRef() {
    if (p != nullptr) {
      g_object_unref(p);
    }
  }
};

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [s](std::string_view p) { return s.substr(0, p.size()) == p; });
}

std::string header(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_header(object, name);
  return value == nullptr ? std::string() : std::string(value);
}

void add_references(std::vector<std::string>& out, const std::string& value, bool last_first) {
  if (value.empty()) {
    return;
  }
  GMimeReferences* refs = g_mime_references_parse(nullptr, value.c_str());
  if (refs == nullptr) {
    return;
  }
  const int n = g_mime_references_length(refs);
  for (int i = 0; i < n; ++i) {
    const int at = last_first ? n - 1 - i : i;
    if (const char* id = g_mime_references_get_message_id(refs, at)) {
      out.emplace_back(id);
    }
  }
  g_mime_references_free(refs);
}

bool is_auto_reply(GMimeObject* object, const std::string& subject) {
  const std::string submitted = lower_ascii(trim(header(object, "Auto-Submitted")));
  if (!submitted.empty() && submitted != "no") {
    return true;
  }
  if (g_mime_object_get_header(object, "X-Autoreply") != nullptr ||
      g_mime_object_get_header(object, "X-Autorespond") != nullptr) {
    return true;
  }
  const std::string precedence = lower_ascii(trim(header(object, "Precedence")));
  if (precedence == "auto_reply" || precedence == "bulk" || precedence == "junk" ||
      precedence == "list") {
    return true;
  }
  const std::string s = text::fold_case(trim(subject));
  return starts_with_any(
      s, {"frånvaro", "automatiskt svar", "autosvar", "auto:", "automatic reply", "autoreply",
          "auto-reply", "out of office", "out of the office", "abwesenheit"});
}

bool forwarded_subject(const std::string& subject) {
  const std::string s = lower_ascii(trim(subject));
  return starts_with_any(s, {"fwd:", "fw:", "vb:", "wg:", "tr:", "[fwd"});
}

// The message's own text: the first text/plain part that is not an attachment, else the first
// text/html part without its tags. A message attached whole (message/rfc822) is not the
// sender's own text and is not entered.
struct TextSearch {
  std::string plain;
  std::string html;
  bool found_plain = false;
  bool found_html = false;
  bool attached_message = false;
};

std::string text_of(GMimeTextPart* part) {
  char* text = g_mime_text_part_get_text(part);
  if (text == nullptr) {
    return {};
  }
  std::string out;
  const auto length = std::strlen(text);
  if (g_utf8_validate(text, static_cast<gssize>(length), nullptr)) {
    out.assign(text, length);
  } else {
    char* valid = g_utf8_make_valid(text, static_cast<gssize>(length));
    out = valid;
    g_free(valid);
  }
  g_free(text);
  return out;
}

void search(GMimeObject* object, TextSearch& found, int depth) {
  if (object == nullptr || depth > 32) {
    return;
  }
  if (GMIME_IS_MULTIPART(object)) {
    auto* multipart = GMIME_MULTIPART(object);
    const int n = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < n; ++i) {
      search(g_mime_multipart_get_part(multipart, i), found, depth + 1);
    }
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    found.attached_message = true;
    return;
  }
  if (!GMIME_IS_TEXT_PART(object) || g_mime_part_is_attachment(GMIME_PART(object))) {
    return;
  }
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (!found.found_plain && g_mime_content_type_is_type(type, "text", "plain")) {
    found.plain = text_of(GMIME_TEXT_PART(object));
    found.found_plain = true;
  } else if (!found.found_html && g_mime_content_type_is_type(type, "text", "html")) {
    found.html = text_of(GMIME_TEXT_PART(object));
    found.found_html = true;
  }
}

std::string limited(std::string text) {
  if (text.size() > text_limit) {
    auto cut = text_limit;
    // Never cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text.resize(cut);
  }
  return text;
}

}  // namespace

std::optional<Mail> parse(std::string_view raw) {
  init_gmime();
  GObjectRef<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(raw.data(), static_cast<std::size_t>(raw.size())));
  GObjectRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  GObjectRef<GMimeMessage> message(g_mime_parser_construct_message(parser.p, nullptr));
  if (message.p == nullptr) {
    return std::nullopt;
  }
  Mail mail;
  auto* object = GMIME_OBJECT(message.p);
  if (InternetAddressList* from = g_mime_message_get_from(message.p)) {
    const int n = internet_address_list_length(from);
    for (int i = 0; i < n; ++i) {
      InternetAddress* address = internet_address_list_get_address(from, i);
      if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
        if (const char* addr =
                internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))) {
          if (std::strchr(addr, '@') != nullptr) {
            mail.senders.emplace_back(addr);
          }
        }
      }
    }
  }
  if (mail.senders.empty()) {
    return std::nullopt;
  }
  add_references(mail.references, header(object, "In-Reply-To"), false);
  add_references(mail.references, header(object, "References"), true);
  if (const char* subject = g_mime_message_get_subject(message.p)) {
    mail.subject = subject;
    if (!g_utf8_validate(subject, -1, nullptr)) {
      char* valid = g_utf8_make_valid(subject, -1);
      mail.subject = valid;
      g_free(valid);
    }
  }
  if (GDateTime* date = g_mime_message_get_date(message.p)) {
    mail.date = static_cast<std::time_t>(g_date_time_to_unix(date));
  }
  mail.auto_reply = is_auto_reply(object, mail.subject);
  TextSearch found;
  search(g_mime_message_get_mime_part(message.p), found, 0);
  mail.forwarded = forwarded_subject(mail.subject) ||
                   (found.attached_message && !found.found_plain && !found.found_html);
  if (found.found_plain && !trim(found.plain).empty()) {
    mail.text = limited(std::move(found.plain));
  } else if (found.found_html) {
    mail.text = limited(strip_html(found.html));
  }
  return mail;
}

#pragma GCC diagnostic pop

std::string strip_html(std::string_view html) {
  std::string out;
  std::size_t i = 0;
  const auto lower_at = [&html](std::size_t at, std::string_view word) {
    return lower_ascii(html.substr(at, word.size())) == word;
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      bool skipped_element = false;
      for (const std::string_view skipped : {"script", "style", "head>", "head "}) {
        if (lower_at(i + 1, skipped)) {
          const std::string closing = "</" + std::string(skipped.substr(0, 4));
          const auto close = lower_ascii(html.substr(i)).find(closing);
          const auto gt =
              close == std::string::npos ? std::string_view::npos : html.find('>', i + close);
          i = gt == std::string_view::npos ? html.size() : gt + 1;
          skipped_element = true;
          break;
        }
      }
      if (skipped_element) {
        continue;
      }
      const auto end = html.find('>', i);
      const std::string tag =
          lower_ascii(html.substr(i + 1, std::min<std::size_t>(12, html.size() - i - 1)));
      if (starts_with_any(tag, {"br", "p", "/p", "div", "/div", "tr", "li", "blockquote",
                                "/blockquote", "h1", "h2", "h3"})) {
        out += '\n';
      }
      // Quoted mail in HTML replies is in a blockquote: mark its lines as quoted.
      if (starts_with_any(tag, {"blockquote"})) {
        out += "> ";
      }
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    if (c == '&') {
      const auto end = html.find(';', i);
      if (end != std::string_view::npos && end - i <= 10) {
        const std::string name = lower_ascii(html.substr(i + 1, end - i - 1));
        static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> entities{{
            {"nbsp", " "},
            {"amp", "&"},
            {"lt", "<"},
            {"gt", ">"},
            {"quot", "\""},
            {"apos", "'"},
            {"aring", "\u00e5"},
            {"auml", "\u00e4"},
            {"ouml", "\u00f6"},
            {"#39", "'"},
            {"#160", " "},
            {"eacute", "\u00e9"},
        }};
        // Capital Å, Ä, Ö keep their case: the HTML names differ only in their first letter.
        const std::string exact(html.substr(i + 1, end - i - 1));
        const auto it = std::find_if(entities.begin(), entities.end(),
                                     [&name](const auto& e) { return e.first == name; });
        if (it != entities.end()) {
          if (exact == "Aring") {
            out += "\u00c5";
          } else if (exact == "Auml") {
            out += "\u00c4";
          } else if (exact == "Ouml") {
            out += "\u00d6";
          } else {
            out += it->second;
          }
          i = end + 1;
          continue;
        }
      }
    }
    out += c;
    ++i;
  }
  return out;
}

namespace {

// The words of `line`, case-folded: letters, digits and apostrophes; everything else splits.
std::vector<std::string> words_of(std::string_view line) {
  std::string s(line);
  // A typographic apostrophe and a no-break space read as their plain forms.
  for (std::size_t at = 0; (at = s.find("\u2019", at)) != std::string::npos;) {
    s.replace(at, 3, "'");
  }
  for (std::size_t at = 0; (at = s.find("\u00a0", at)) != std::string::npos;) {
    s.replace(at, 2, " ");
  }
  std::vector<std::string> words;
  std::string word;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '\'' || c >= 0x80) {
      word += ch;
    } else if (!word.empty()) {
      words.push_back(text::fold_case(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.push_back(text::fold_case(word));
  }
  return words;
}

bool one_of(const std::string& word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

Says first_words(std::string_view text) {
  // The first line of the sender's own words: not empty, not quoted, not only a greeting
  // ("Hej!", "Hi,": the words after it say what the reply says).
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < text.size() && words.empty()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string line = trim(text.substr(at, end - at));
    at = end + 1;
    if (line.empty() || line[0] == '>') {
      continue;
    }
    words = words_of(line);
    if (!words.empty() && one_of(words[0], {"hej", "hejsan", "hallå", "hi", "hello"})) {
      words.erase(words.begin());
    }
  }
  if (words.empty()) {
    return Says::unclear;
  }
  const auto next = [&words](std::size_t i) { return i < words.size() ? words[i] : std::string(); };
  const auto negated_after = [&words](std::size_t from) {
    for (std::size_t i = from; i < std::min<std::size_t>(words.size(), from + 3); ++i) {
      if (one_of(words[i], {"inte", "ej", "icke", "not", "men", "but", "tyvärr", "unfortunately",
                            "nej", "no"})) {
        return true;
      }
    }
    return false;
  };
  const std::string& first = words[0];
  if (one_of(first, {"nej", "no", "nope", "tyvärr", "unfortunately", "cannot", "can't"})) {
    return Says::no;
  }
  if (first == "kan" || first == "can") {
    const std::string second = next(1);
    if (one_of(second, {"inte", "ej", "tyvärr", "not", "unfortunately"})) {
      return Says::no;
    }
    // "Kan du ...?", "Can you ...?": a question, not an answer.
    if (one_of(second, {"du", "ni", "jag", "vi", "man", "det", "you", "i", "we", "it"})) {
      return Says::unclear;
    }
    return negated_after(1) ? Says::unclear : Says::yes;
  }
  if (first == "i" && next(1) == "can") {
    return one_of(next(2), {"not", "unfortunately"}) ? Says::no
           : negated_after(2)                        ? Says::unclear
                                                     : Says::yes;
  }
  if (first == "i" && one_of(next(1), {"cannot", "can't"})) {
    return Says::no;
  }
  if (one_of(first, {"ja", "japp", "jajamen", "yes", "yep", "absolut", "gärna", "sure"})) {
    return negated_after(1) ? Says::unclear : Says::yes;
  }
  return Says::unclear;
}

std::vector<NumberedAnswer> numbered_yes_no(std::string_view text, std::size_t questions) {
  std::vector<NumberedAnswer> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string line = trim(text.substr(at, end - at));
    at = end + 1;
    if (line.empty() || line[0] == '>') {
      continue;
    }
    // The number: one or two digits.
    std::size_t i = 0;
    std::size_t number = 0;
    while (i < line.size() && i < 3 && line[i] >= '0' && line[i] <= '9') {
      number = number * 10 + static_cast<std::size_t>(line[i] - '0');
      ++i;
    }
    if (i == 0 || i > 2) {
      continue;
    }
    // A separator: ".", ")" or ":" and/or white space.
    const std::size_t digits_end = i;
    if (i < line.size() && (line[i] == '.' || line[i] == ')' || line[i] == ':')) {
      ++i;
    }
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      ++i;
    }
    if (i == digits_end) {
      continue;  // "1ja" is not a numbered answer
    }
    // The word, and at most a closing "." or "!".
    std::string word = lower_ascii(line.substr(i));
    while (!word.empty() && (word.back() == '.' || word.back() == '!' || word.back() == ' ')) {
      word.pop_back();
    }
    if (word != "ja" && word != "nej" && word != "yes" && word != "no") {
      continue;
    }
    if (number == 0 || number > questions) {
      return {};
    }
    const bool twice = std::any_of(
        out.begin(), out.end(), [number](const NumberedAnswer& a) { return a.number == number; });
    if (twice) {
      return {};
    }
    out.push_back({number, std::move(word)});
  }
  std::sort(out.begin(), out.end(),
            [](const NumberedAnswer& a, const NumberedAnswer& b) { return a.number < b.number; });
  return out;
}

}  // namespace lbib::inbox
