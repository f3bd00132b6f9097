// SPDX-License-Identifier: MIT
#include "freetext.hpp"

#include <iostream>
#include <iterator>

#include "lbib/error.hpp"
#include "lbib/io/editor.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::cmd {
namespace {

std::string read_stdin() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// The value given for `key` in a KEY=TEXT list, or null.
std::string* value_of(std::vector<std::string>& values, const std::string& key) {
  for (auto& v : values) {
    if (v.size() > key.size() && v.compare(0, key.size(), key) == 0 && v[key.size()] == '=') {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace

struct TextOptions::State {
  struct Field {
    CLI::Option* option;  // its name, and given (add_result) when the text comes from --edit
    std::optional<std::string>* value;
    std::string help;
  };
  struct Keyed {
    CLI::Option* option;  // its name
    std::vector<std::string>* values;
    Keys keys;
  };
  CLI::App& sub;
  Context& ctx;
  std::vector<Field> fields;
  std::vector<Keyed> keyed;
  bool edit = false;

  // After the subcommand was parsed: one text "-" read from stdin, then --edit.
  void resolve() {
    std::string* from_stdin = nullptr;
    std::string from_name;
    const auto take_stdin = [&](std::string* value, const std::string& name) {
      if (from_stdin != nullptr) {
        throw make_error(ExitCode::usage,
                         "{} and {}: only one text can be read from standard input; use --edit "
                         "for several",
                         from_name, name);
      }
      from_stdin = value;
      from_name = name;
    };
    for (const auto& f : fields) {
      if (*f.value == "-") {
        take_stdin(&**f.value, f.option->get_name());
      }
    }
    for (const auto& k : keyed) {
      for (auto& v : *k.values) {
        if (v.size() >= 2 && v.compare(v.size() - 2, 2, "=-") == 0) {
          take_stdin(&v, k.option->get_name());
        }
      }
    }
    if (from_stdin != nullptr) {
      if (*from_stdin == "-") {
        *from_stdin = read_stdin();
      } else {
        from_stdin->pop_back();  // "KEY=-": the text follows "KEY="
        *from_stdin += read_stdin();
      }
    }
    if (edit) {
      run_editor();
    }
  }

  void run_editor() {
    auto editor = ctx.getenv()("VISUAL");
    if (!editor || editor->empty()) {
      editor = ctx.getenv()("EDITOR");
    }
    if (!editor || editor->empty()) {
      throw make_error(ExitCode::usage, "--edit: set VISUAL or EDITOR to the editor to use");
    }
    std::vector<io::EditField> edit_fields;
    for (const auto& f : fields) {
      edit_fields.push_back(
          {f.option->get_name(), i18n::tr(f.help.c_str()), f.value->value_or(std::string())});
    }
    for (const auto& k : keyed) {
      for (const auto& [key, label] : k.keys()) {
        const auto* given = value_of(*k.values, key);
        edit_fields.push_back({k.option->get_name() + " " + key, label,
                               given != nullptr ? given->substr(key.size() + 1) : std::string()});
      }
    }
    const auto texts = io::edit_texts(
        *editor, io::private_temp_dir(ctx.getenv()),
        i18n::tr("# lbib: write each text under its heading. Lines that start with # are left "
                 "out.\n# Save and close the editor to go on; leave everything empty to stop."),
        edit_fields);
    std::size_t at = 0;
    for (const auto& f : fields) {
      const auto& text = texts[at++];
      if (text.empty()) {
        continue;
      }
      *f.value = text;
      if (f.option->count() == 0) {
        f.option->add_result(text);  // counted as given
      }
    }
    for (const auto& k : keyed) {
      for (const auto& [key, label] : k.keys()) {
        const auto& text = texts[at++];
        if (text.empty()) {
          continue;
        }
        if (auto* given = value_of(*k.values, key)) {
          *given = key + "=" + text;
        } else {
          k.values->push_back(key + "=" + text);
        }
      }
    }
  }
};

TextOptions::TextOptions(CLI::App& sub, Context& ctx)
    : m_state(std::make_shared<State>(State{sub, ctx, {}, {}, false})) {
  sub.add_flag("--edit", m_state->edit,
               "Write the free texts in $VISUAL or $EDITOR (a private file, removed afterwards) "
               "instead of on the command line; a free text given as '-' is read from standard "
               "input");
  sub.parse_complete_callback([state = m_state] { state->resolve(); });
}

CLI::Option* TextOptions::add(const std::string& name, std::optional<std::string>& value,
                              const std::string& help) {
  auto* option = m_state->sub.add_option(name, value, help);
  m_state->fields.push_back({option, &value, help});
  return option;
}

CLI::Option* TextOptions::add_keyed(const std::string& name, std::vector<std::string>& values,
                                    const std::string& help, Keys keys) {
  auto* option = m_state->sub.add_option(name, values, help);
  m_state->keyed.push_back({option, &values, std::move(keys)});
  return option;
}

}  // namespace lbib::cmd
