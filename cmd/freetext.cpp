// SPDX-License-Identifier: MIT
#include "freetext.hpp"

#include <iostream>
#include <iterator>
#include <vector>

#include "lbib/error.hpp"
#include "lbib/io/editor.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::cmd {

struct TextOptions::State {
  struct Field {
    CLI::Option* option;
    std::string* value;
    std::string help;
  };
  CLI::App& sub;
  Context& ctx;
  std::vector<Field> fields;
  bool edit = false;

  // After the subcommand was parsed: "-" read from stdin, then --edit.
  void resolve() {
    const Field* from_stdin = nullptr;
    for (const auto& f : fields) {
      if (f.option->count() > 0 && *f.value == "-") {
        if (from_stdin != nullptr) {
          throw make_error(ExitCode::usage,
                           "{} and {}: only one text can be read from standard input; use --edit "
                           "for several",
                           from_stdin->option->get_name(), f.option->get_name());
        }
        from_stdin = &f;
      }
    }
    if (from_stdin != nullptr) {
      std::string text((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
      }
      *from_stdin->value = text;
    }
    if (!edit) {
      return;
    }
    auto editor = ctx.getenv()("VISUAL");
    if (!editor || editor->empty()) {
      editor = ctx.getenv()("EDITOR");
    }
    if (!editor || editor->empty()) {
      throw make_error(ExitCode::usage, "--edit: set VISUAL or EDITOR to the editor to use");
    }
    std::vector<io::EditField> edit_fields;
    for (const auto& f : fields) {
      edit_fields.push_back({f.option->get_name(), i18n::tr(f.help.c_str()),
                             f.option->count() > 0 ? *f.value : std::string()});
    }
    const auto texts = io::edit_texts(
        *editor, io::private_temp_dir(ctx.getenv()),
        i18n::tr("# lbib: write each text under its heading. Lines that start with # are left "
                 "out.\n# Save and close the editor to go on; leave everything empty to stop."),
        edit_fields);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (texts[i].empty()) {
        continue;
      }
      *fields[i].value = texts[i];
      if (fields[i].option->count() == 0) {
        fields[i].option->add_result(texts[i]);  // counted as given
      }
    }
  }
};

TextOptions::TextOptions(CLI::App& sub, Context& ctx)
    : m_state(std::make_shared<State>(State{sub, ctx, {}, false})) {
  sub.add_flag("--edit", m_state->edit,
               "Write the free texts in $VISUAL or $EDITOR (a private file, removed afterwards) "
               "instead of on the command line; a free text given as '-' is read from standard "
               "input");
  sub.parse_complete_callback([state = m_state] { state->resolve(); });
}

CLI::Option* TextOptions::add(const std::string& name, std::string& value,
                              const std::string& help) {
  auto* option = m_state->sub.add_option(name, value, help);
  m_state->fields.push_back({option, &value, help});
  return option;
}

}  // namespace lbib::cmd
