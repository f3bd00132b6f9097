// SPDX-License-Identifier: MIT
// lbib-mime.so: the only code that includes GMime, built as a module of its own that lbib
// loads only when it reads mail (mime_reader.hpp says why). It reads a message's headers and
// parts and nothing more; it depends on GMime and the standard library alone.
#include <cstring>
#include <mutex>

#include "lbib/inbox/mime_reader.hpp"

// GMime and GLib are C libraries whose type-check macros (GMIME_IS_MULTIPART, ...) are C
// casts: this file, the only one that includes them, allows old-style casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#include <gmime/gmime.h>

namespace {

using lbib::inbox::Parsed;

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

// `text` as valid UTF-8 (invalid sequences replaced), freed.
std::string valid_utf8(char* text) {
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

// The message's own text: the first text/plain part that is not an attachment, and the first
// text/html part. A message attached whole (message/rfc822) is not the sender's own text and
// is not entered.
void search(GMimeObject* object, Parsed& found, int depth) {
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
    found.plain = valid_utf8(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
    found.found_plain = true;
  } else if (!found.found_html && g_mime_content_type_is_type(type, "text", "html")) {
    found.html = valid_utf8(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
    found.found_html = true;
  }
}

int read_message(const char* data, std::size_t size, Parsed* out) {
  init_gmime();
  GObjectRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(data, size));
  GObjectRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  GObjectRef<GMimeMessage> message(g_mime_parser_construct_message(parser.p, nullptr));
  if (message.p == nullptr) {
    return 0;
  }
  Parsed& mail = *out;
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
  add_references(mail.references, header(object, "In-Reply-To"), false);
  add_references(mail.references, header(object, "References"), true);
  if (const char* subject = g_mime_message_get_subject(message.p)) {
    mail.subject = valid_utf8(g_strdup(subject));
  }
  if (GDateTime* date = g_mime_message_get_date(message.p)) {
    mail.date = static_cast<std::time_t>(g_date_time_to_unix(date));
  }
  mail.auto_submitted = header(object, "Auto-Submitted");
  mail.precedence = header(object, "Precedence");
  mail.autoreply_header = g_mime_object_get_header(object, "X-Autoreply") != nullptr ||
                          g_mime_object_get_header(object, "X-Autorespond") != nullptr;
  search(g_mime_message_get_mime_part(message.p), mail, 0);
  return 1;
}

}  // namespace

#pragma GCC diagnostic pop

// The entry point lbib looks up by name (inbox::read_message_symbol). C linkage for a stable
// name; the types are lbib's own, built by the same compiler in the same build.
extern "C" __attribute__((visibility("default"))) int lbib_mime_read_v1(const char* data,
                                                                        std::size_t size,
                                                                        Parsed* out) {
  return read_message(data, size, out);
}
