// SPDX-License-Identifier: MIT
#include "lbib/text/i18n.hpp"

#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace lbib::i18n {
namespace {

constexpr const char* domain = "lbib";
bool swedish = false;
bool catalogue_bound = false;

/// The catalogue's folder: $LBIB_LOCALEDIR, else beside an installed lbib
/// (bin/../share/locale), else the build tree's (where the tests run lbib).
std::string locale_dir() {
  namespace fs = std::filesystem;
  const auto has_catalogue = [](const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "sv" / "LC_MESSAGES" / "lbib.mo", ec);
  };
  if (const char* env = std::getenv("LBIB_LOCALEDIR"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && has_catalogue(exe.parent_path().parent_path() / "share" / "locale")) {
    return (exe.parent_path().parent_path() / "share" / "locale").string();
  }
  return LBIB_BUILD_LOCALEDIR;
}

}  // namespace

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
  bindtextdomain(domain, locale_dir().c_str());
  bind_textdomain_codeset(domain, "UTF-8");
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
  const std::string key(english);
  return dgettext(domain, key.c_str());
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
