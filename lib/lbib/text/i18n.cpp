// SPDX-License-Identifier: MIT
#include "lbib/text/i18n.hpp"

#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lbib::i18n {
namespace {

constexpr const char* domain = "lbib";
bool swedish = false;
bool catalogue_bound = false;

}  // namespace

std::filesystem::path catalogue_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("LBIB_LOCALEDIR"); env != nullptr && *env != '\0') {
    return env;
  }
  // Found relative to the running binary, so nothing about the build machine is compiled in
  // (reproducible builds) and a moved tree still works: PREFIX/bin/lbib uses
  // PREFIX/share/locale (LBIB_RELATIVE_LOCALEDIR), the build tree's cmd/lbib its locale/.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return "/usr/share/locale";
  }
  const fs::path installed = (exe.parent_path() / LBIB_RELATIVE_LOCALEDIR).lexically_normal();
  const fs::path build_tree = exe.parent_path().parent_path() / "locale";
  for (const fs::path& dir : {installed, build_tree}) {
    if (fs::exists(dir / "sv" / "LC_MESSAGES" / "lbib.mo", ec)) {
      return dir;
    }
  }
  return installed;
}

std::string language_of_environment(
    const std::function<std::optional<std::string>(const char*)>& getenv) {
  // The first of these that is set decides, as for gettext itself.
  for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (auto value = getenv(name); value && !value->empty()) {
      return value->starts_with("sv") ? "sv" : "en";
    }
  }
  return "en";
}

namespace {

// Binds the Swedish catalogue once; tr() still decides by `swedish` whether to use it.
void bind_swedish() {
  if (catalogue_bound) {
    return;
  }
  catalogue_bound = true;
  // Only the messages' category: numbers, dates and collation stay as lbib writes them.
  const char* set = std::setlocale(LC_MESSAGES, "");
  if (set == nullptr || std::string_view(set) == "C" || std::string_view(set) == "POSIX") {
    std::setlocale(LC_MESSAGES, "C.UTF-8");  // gettext ignores LANGUAGE in the plain C locale
  }
  ::setenv("LANGUAGE", "sv", 1);
  bindtextdomain(domain, catalogue_dir().c_str());
  bind_textdomain_codeset(domain, "UTF-8");
  // The C library's own messages (strerror) in UTF-8 too, whatever LC_CTYPE is: without a
  // generated sv_SE.UTF-8 they would otherwise come out as "?tkomst nekas".
  bind_textdomain_codeset("libc", "UTF-8");
}

}  // namespace

void use_language(std::string_view language) {
  swedish = language == "sv";
  if (swedish) {
    bind_swedish();
  }
}

std::string tr_in(std::string_view language, std::string_view english) {
  if (language != "sv" || english.empty()) {
    return std::string(english);
  }
  bind_swedish();
  // Each message is looked up in the catalogue once: a listing or `remind` translates the same
  // few sentences for every row (80,000 consents to re-confirm in a register of 100,000).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static std::unordered_map<std::string, std::string, Hash, std::equal_to<>> looked_up;
  if (const auto it = looked_up.find(english); it != looked_up.end()) {
    return it->second;
  }
  std::string key(english);
  std::string found = dgettext(domain, key.c_str());
  return looked_up.emplace(std::move(key), std::move(found)).first->second;
}

std::string tr_plural_in(std::string_view language, unsigned long n, std::string_view singular,
                         std::string_view plural) {
  if (language != "sv") {
    return std::string(n == 1 ? singular : plural);
  }
  bind_swedish();
  const std::string one(singular);
  const std::string many(plural);
  return dngettext(domain, one.c_str(), many.c_str(), n);
}

std::string tr_in_context(std::string_view language, std::string_view context,
                          std::string_view english) {
  if (language != "sv" || english.empty()) {
    return std::string(english);
  }
  bind_swedish();
  // gettext's own key for a message in a context: the context, EOT, the message.
  const std::string key = std::string(context) + '\x04' + std::string(english);
  const char* found = dgettext(domain, key.c_str());
  return found == key.c_str() ? std::string(english) : std::string(found);
}

std::string_view language() {
  return swedish ? "sv" : "en";
}

const char* tr(const char* english) {
  return swedish && english != nullptr && *english != '\0' ? dgettext(domain, english) : english;
}

std::string tr(std::string_view english) {
  if (!swedish || english.empty()) {
    return std::string(english);
  }
  const std::string key(english);
  return dgettext(domain, key.c_str());
}

}  // namespace lbib::i18n
