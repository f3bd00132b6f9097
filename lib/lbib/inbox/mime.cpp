// SPDX-License-Identifier: MIT
#include "lbib/inbox/mime.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "lbib/error.hpp"
#include "lbib/inbox/mime_reader.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::inbox {
namespace {

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

bool is_auto_reply(const Parsed& parsed) {
  const std::string submitted = lower_ascii(trim(parsed.auto_submitted));
  if (!submitted.empty() && submitted != "no") {
    return true;
  }
  if (parsed.autoreply_header) {
    return true;
  }
  const std::string precedence = lower_ascii(trim(parsed.precedence));
  if (precedence == "auto_reply" || precedence == "bulk" || precedence == "junk" ||
      precedence == "list") {
    return true;
  }
  const std::string s = text::fold_case(trim(parsed.subject));
  return starts_with_any(
      s, {"frånvaro", "automatiskt svar", "autosvar", "auto:", "automatic reply", "autoreply",
          "auto-reply", "out of office", "out of the office", "abwesenheit"});
}

bool forwarded_subject(const std::string& subject) {
  const std::string s = lower_ascii(trim(subject));
  return starts_with_any(s, {"fwd:", "fw:", "vb:", "wg:", "tr:", "[fwd"});
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

ReadMessage g_reader = nullptr;

// The module beside the executable (a build tree), else where the package installs it
// relative to the executable (LBIB_RELATIVE_MODULEDIR, like the message catalogues).
ReadMessage load_reader() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / "lbib-mime.so");
    candidates.push_back(exe.parent_path() / LBIB_RELATIVE_MODULEDIR / "lbib-mime.so");
  }
  std::string why = "not found";
  for (const auto& path : candidates) {
    if (!std::filesystem::exists(path, ec)) {
      continue;
    }
    void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      const char* error = ::dlerror();
      why = error != nullptr ? error : "cannot be loaded";
      continue;
    }
    if (void* symbol = ::dlsym(module, read_message_symbol)) {
      return reinterpret_cast<ReadMessage>(symbol);
    }
    why = fmt::format("{} has no {}", path.string(), read_message_symbol);
  }
  throw make_error(ExitCode::software,
                   "cannot read mail: lbib's MIME module (lbib-mime.so, with GMime) is missing "
                   "or broken ({}); reinstall lbib",
                   text::printable(why));
}

}  // namespace

void use_reader(ReadMessage reader) {
  g_reader = reader;
}

std::optional<Mail> parse(std::string_view raw) {
  if (g_reader == nullptr) {
    g_reader = load_reader();
  }
  Parsed parsed;
  if (g_reader(raw.data(), raw.size(), &parsed) == 0 || parsed.senders.empty()) {
    return std::nullopt;
  }
  Mail mail;
  mail.senders = std::move(parsed.senders);
  mail.references = std::move(parsed.references);
  mail.date = parsed.date;
  mail.auto_reply = is_auto_reply(parsed);
  mail.forwarded = forwarded_subject(parsed.subject) ||
                   (parsed.attached_message && !parsed.found_plain && !parsed.found_html);
  mail.subject = std::move(parsed.subject);
  if (parsed.found_plain && !trim(parsed.plain).empty()) {
    mail.text = limited(std::move(parsed.plain));
  } else if (parsed.found_html) {
    mail.text = limited(strip_html(parsed.html));
  }
  return mail;
}

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

// The sender's own lines, trimmed: neither empty nor quoted ("> ").
std::vector<std::string> own_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string line = trim(text.substr(at, end - at));
    at = end + 1;
    if (!line.empty() && line[0] != '>') {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace

Says first_words(std::string_view text) {
  // The first line of the sender's own words: not empty, not quoted, not only a greeting
  // ("Hej!", "Hi,": the words after it say what the reply says).
  std::vector<std::string> words;
  for (const auto& line : own_lines(text)) {
    if (!words.empty()) {
      break;
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
  for (const auto& line : own_lines(text)) {
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
