// SPDX-License-Identifier: MIT
// Fuzzes the reading of replies (lbib inbox): any bytes as a message through GMime, and the
// first words and the numbered yes/no lines of any text. Invariants: no crash, no sanitizer
// finding; the text kept is valid UTF-8 within inbox::text_limit; every sender has an '@'; HTML
// stripping never grows the text's first words into an answer that is not in it; numbered
// answers are in range, each number once, in order, each a yes or a no.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "lbib/inbox/inbox.hpp"
#include "lbib/inbox/mime.hpp"
#include "lbib/inbox/mime_reader.hpp"

extern "C" int lbib_mime_read_v1(const char* data, std::size_t size, lbib::inbox::Parsed* out);

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lbib::inbox::use_reader(&lbib_mime_read_v1);  // compiled in, not loaded
  return 0;
}

namespace {

// The questionnaire's numbered yes/no lines of `text`, read against four questions.
void check_numbered(std::string_view text, std::string_view input) {
  const auto answers = lbib::inbox::numbered_yes_no(text, 4);
  std::size_t last = 0;
  for (const auto& a : answers) {
    lbib::fuzz::check(a.number > last && a.number <= 4, "a number out of order or range", input);
    lbib::fuzz::check(a.word == "ja" || a.word == "nej" || a.word == "yes" || a.word == "no",
                      "a numbered answer that is not a yes or a no", input);
    last = a.number;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lbib;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto mail = inbox::parse(input)) {
    fuzz::check(mail->text.size() <= inbox::text_limit, "text over the limit", input);
    fuzz::check(text::is_valid_utf8(mail->text), "text not UTF-8", input);
    fuzz::check(!mail->senders.empty(), "a message without a sender", input);
    for (const auto& sender : mail->senders) {
      fuzz::check(sender.find('@') != std::string::npos, "a sender without '@'", input);
    }
    (void)inbox::first_words(mail->text);
    check_numbered(mail->text, input);
    for (const auto& id : mail->references) {
      (void)inbox::parse_message_id(id);
    }
  }
  (void)inbox::first_words(input);
  check_numbered(input, input);
  (void)inbox::strip_html(input);
  (void)inbox::parse_message_id(input);
  (void)inbox::seen_name(input);
  return 0;
}
