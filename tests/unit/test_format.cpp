// SPDX-License-Identifier: MIT
#include <nlohmann/json.hpp>
#include <sstream>

#include "helpers.hpp"
#include "lbib/output/cards.hpp"
#include "lbib/output/format.hpp"
#include "lbib/output/page.hpp"

namespace output = lbib::output;

namespace {

output::Table sample_table() {
  return output::Table{{"id", "name", "note"},
                       {{std::int64_t{1}, std::string("Åsa"), std::string("a;b")},
                        {std::int64_t{2}, std::string("Bo \"B\""), output::Value{}}}};
}

std::string render(output::Format f, const output::Table& t) {
  std::ostringstream out;
  output::write(out, f, t);
  return out.str();
}

}  // namespace

TEST_CASE("parse_format") {
  CHECK(output::parse_format("csv") == output::Format::csv);
  CHECK(output::parse_format("md") == output::Format::md);
  CHECK_LBIB_ERROR(output::parse_format("xml"), lbib::ExitCode::usage, "table, json, csv, md");
}

TEST_CASE("csv is what Swedish Excel expects") {
  const std::string csv = render(output::Format::csv, sample_table());
  CHECK(csv == "\xEF\xBB\xBFid;name;note\r\n1;Åsa;\"a;b\"\r\n2;\"Bo \"\"B\"\"\";\r\n");
}

TEST_CASE("csv_cell neutralises formulas and quotes per RFC 4180") {
  CHECK(output::csv_cell(std::string("=SUM(A1)")) == "'=SUM(A1)");
  CHECK(output::csv_cell(std::string("+46 70")) == "'+46 70");
  CHECK(output::csv_cell(std::string("-1")) == "'-1");
  CHECK(output::csv_cell(std::string("@cmd")) == "'@cmd");
  SUBCASE("the Unicode forms spreadsheets fold to = + - @") {
    for (const char* s :
         {"\uFF1D1+1", "\uFF0B46", "\uFF0D1", "\uFF20SUM(A1)", "\uFE661", "\uFE621", "\uFE631",
          "\uFE6Bx", "\u22121", " =1", "\u3000=1", "\u00A0+1", "\tx", "\rx"}) {
      CHECK(output::csv_cell(std::string(s)).find('\'') != std::string::npos);
      CHECK(output::starts_formula(s));
    }
    CHECK_FALSE(output::starts_formula("Åsa"));
    CHECK_FALSE(output::starts_formula("  "));
  }
  CHECK(output::csv_cell(std::string("\tx")) == "'\tx");
  CHECK(output::csv_cell(std::string("\rx")) == "\"'\rx\"");
  CHECK(output::csv_cell(std::string("line\nbreak")) == "\"line\nbreak\"");
  CHECK(output::csv_cell(std::int64_t{-5}) == "-5");  // numbers are data, not formulas
  CHECK(output::csv_cell(true) == "yes");
  CHECK(output::csv_cell(output::Value{}).empty());
}

TEST_CASE("json keeps types and column order") {
  const auto j = nlohmann::ordered_json::parse(render(output::Format::json, sample_table()));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0]["id"] == 1);
  CHECK(j[0]["name"] == "Åsa");
  CHECK(j[1]["note"].is_null());
  CHECK(j[0].begin().key() == "id");
}

TEST_CASE("an empty table still has its header") {
  const output::Table empty{{"id", "name"}, {}};
  CHECK(render(output::Format::json, empty) == "[]\n");
  CHECK(render(output::Format::csv, empty) == "\xEF\xBB\xBFid;name\r\n");
  CHECK(render(output::Format::table, empty) == "id  name\n--  ----\n");
}

TEST_CASE("text table aligns by characters, not bytes") {
  const output::Table t{
      {"a", "b"},
      {{std::string("åäö"), std::string("x")}, {std::string("abcd"), std::string("y")}}};
  CHECK(render(output::Format::table, t) == "a     b\n----  -\nåäö   x\nabcd  y\n");
}

TEST_CASE("markdown escapes pipes and line breaks") {
  const output::Table t{{"x"}, {{std::string("a|b\nc")}}};
  CHECK(render(output::Format::md, t) == "| x |\n| --- |\n| a\\|b<br>c |\n");
}

TEST_CASE("a record's Markdown escapes its cells and section headings") {
  output::Record r;
  r.fields = {{"note", std::string("*viktigt* <b>")}};
  r.sections = {{"odd_section", output::Table{{"x"}, {{std::string("[a](b)")}}}}};
  std::ostringstream md;
  output::write(md, output::Format::md, r);
  CHECK(md.str().find("| \\*viktigt\\* \\<b\\> |") != std::string::npos);
  CHECK(md.str().find("\n## odd\\_section\n") != std::string::npos);
  CHECK(md.str().find("| \\[a\\](b) |") != std::string::npos);
}

TEST_CASE("a record renders fields and sections") {
  output::Record r;
  r.fields = {{"id", std::int64_t{7}}, {"name", std::string("Åsa")}};
  r.sections = {
      {"experiences",
       output::Table{{"role", "area"}, {{std::string("patient"), std::string("dementia")}}}}};
  std::ostringstream json;
  output::write(json, output::Format::json, r);
  const auto j = nlohmann::json::parse(json.str());
  CHECK(j["id"] == 7);
  CHECK(j["experiences"][0]["area"] == "dementia");
  std::ostringstream csv;
  output::write(csv, output::Format::csv, r);
  CHECK(csv.str().find("experiences.1.area;dementia\r\n") != std::string::npos);
}

TEST_CASE("a Swedish document reads as Swedish and prints with page numbers") {
  output::Document d;
  d.title = "Levande Bibliotek: sammanställning 2026";
  d.date = "1 december 2026";
  d.page_words = {"Sida", "av"};
  output::Table t{{"label", "count", "percent"},
                  {{std::string("Lån med uppföljningsmöte"), std::int64_t{7}, 77.777},
                   {std::string("Dagar (median)"), std::int64_t{44}, output::Value{}}},
                  {"Beskrivning", "Antal", "Procent"},
                  {"", "", "%"}};
  d.parts.push_back({output::Document::Part::Kind::table, {}, t, "Tabell 3. Uppföljning"});
  d.parts.push_back({output::Document::Part::Kind::paragraph, "Brett", {}, {}, true});
  std::ostringstream html;
  output::write(html, output::Format::html, d);
  const std::string page = html.str();
  CHECK(page.find("<caption>Tabell 3. Uppföljning</caption>") != std::string::npos);
  CHECK(page.find(">77,8\u00A0%</td>") != std::string::npos);
  CHECK(page.find("77.8") == std::string::npos);
  CHECK(page.find("<td class=\"e\">–</td>") != std::string::npos);
  CHECK(page.find("content: \"Sida\" \" \" counter(page) \" \" \"av\" \" \" counter(pages)") !=
        std::string::npos);
  CHECK(page.find("content: \"1 december 2026\"") != std::string::npos);
  CHECK(page.find("<div class=\"wide\">\n<p>Brett</p>\n</div>") != std::string::npos);
  std::ostringstream md;
  output::write(md, output::Format::md, d);
  CHECK(md.str().find("| Lån med uppföljningsmöte | 7 | 77,8\u00A0% |") != std::string::npos);
  // The data formats keep plain numbers.
  CHECK(render(output::Format::json, t).find("77.777") != std::string::npos);
  CHECK(render(output::Format::csv, t).find('%') == std::string::npos);
}

// The page writer (output/page.hpp): one escaping, one frame, one place for style sheets.

TEST_CASE("escape_xml escapes what would end text or an attribute") {
  CHECK(output::escape_xml(R"(<a href="x">Tom & Jerry</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;");
  CHECK(output::escape_xml("Åsa – 77,8 %") == "Åsa – 77,8 %");  // the rest stays as it is
}

TEST_CASE("escape_markdown escapes what Markdown would read as markup, and keeps line breaks") {
  CHECK(output::escape_markdown(R"(*fet* _kursiv_ [länk](x) `kod` <b> # 1|2 a\b)") ==
        R"(\*fet\* \_kursiv\_ \[länk\](x) \`kod\` \<b\> \# 1\|2 a\\b)");
  CHECK(output::escape_markdown("rad ett\nrad två") == "rad ett\nrad två");
}

TEST_CASE("html_paragraphs: blank lines part paragraphs, a line break is <br>, all escaped") {
  CHECK(output::html_paragraphs("Ett <b>\nTvå\n\n\nTre & fyra") ==
        "<p>Ett &lt;b&gt;<br>Två</p><p>Tre &amp; fyra</p>");
  CHECK(output::html_paragraphs("") == "<p></p>");
}

TEST_CASE("write_page: the language, an escaped title, the style sheet, and nothing external") {
  std::ostringstream out;
  output::write_page(out,
                     {"en", "Reports <script>alert(1)</script> & \"more\"",
                      output::Stylesheet::cards, "@page { x: 1 }"},
                     [](std::ostream& body) { body << "<main>BODY</main>\n"; });
  const std::string page = out.str();
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0) ==
        0);
  CHECK(page.find("<title>Reports &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"
                  "</title>") != std::string::npos);
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("ul.cards") != std::string::npos);  // the cards style sheet
  CHECK(page.find("@page { x: 1 }</style>") != std::string::npos);
  CHECK(page.find("<body>\n<main>BODY</main>\n</body>\n</html>\n") != std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);

  std::ostringstream other;
  output::write_page(other, {"sv\"><script>", "T", output::Stylesheet::document},
                     [](std::ostream&) {});
  CHECK(other.str().find("<html lang=\"sv&quot;&gt;&lt;script&gt;\">") != std::string::npos);
  CHECK(other.str().find("ul.cards") == std::string::npos);  // not the cards' sheet
  CHECK(other.str().find("td.n {") != std::string::npos);    // the document's
}

TEST_CASE("a document's title, headings and paragraphs are escaped in HTML and Markdown") {
  output::Document d;
  d.language = "en";
  d.title = "Record <b>1</b> & *2*";
  d.parts.push_back({output::Document::Part::Kind::heading, "a) Controller_one", {}});
  d.parts.push_back({output::Document::Part::Kind::paragraph, "Region [Exempel](x) <i>", {}});
  std::ostringstream html;
  output::write(html, output::Format::html, d);
  CHECK(html.str().find("<html lang=\"en\">") != std::string::npos);
  CHECK(html.str().find("<title>Record &lt;b&gt;1&lt;/b&gt; &amp; *2*</title>") !=
        std::string::npos);
  CHECK(html.str().find("<h1>Record &lt;b&gt;1&lt;/b&gt; &amp; *2*</h1>") != std::string::npos);
  CHECK(html.str().find("<p>Region [Exempel](x) &lt;i&gt;</p>") != std::string::npos);
  std::ostringstream md;
  output::write(md, output::Format::md, d);
  CHECK(md.str() ==
        "# Record \\<b\\>1\\</b\\> & \\*2\\*\n\n## a) Controller\\_one\n\n"
        "Region \\[Exempel\\](x) \\<i\\>\n\n");
}

TEST_CASE("a page of cards: landmarks, labelled sections and cards, every word escaped") {
  output::CardPage p;
  p.language = "sv";
  p.title = "Bibliotek <x>";
  p.intro = {"Hej & välkommen ", "Kontakta *oss*", "mailto:a@example.se?subject=<x>", " nu."};
  output::Card card;
  card.anchor = "card-ABC123";
  card.heading = "Erfaren ABC123";
  card.text = "<script>alert(1)</script>\n\n*fet*";
  card.illustration = true;
  card.items_term = "Erfarenhet";
  card.items = {"Anhörig – Demens & <annat>"};
  card.facts = {{"Ålder", "60–69 år"}};
  p.sections.push_back({"area-1", "Demens_sjukdom", {}, {card}});
  output::Card call;
  call.anchor = "assignment-7";
  call.heading = "Uppdrag 7";
  call.text = "Vi söker [någon]";
  call.kind = "call";
  call.lines = {{"Svara senast: 2026-12-20"},
                {"", "Kontakta oss", "https://x.example/k", " och 7."}};
  p.sections.push_back({"open", "Öppna uppdrag", "Har du <erfarenhet>?", {call}});
  p.note = "Inga <fler>.";
  p.footer = {{"Uppdaterad & klar."}, {"", "Tillgänglighet", "https://x.example/a\"b"}};

  std::ostringstream html;
  output::write(html, output::Format::html, p);
  const std::string page = html.str();
  CHECK(page.find("<html lang=\"sv\">") != std::string::npos);
  CHECK(page.find("<title>Bibliotek &lt;x&gt;</title>") != std::string::npos);
  CHECK(page.find("<header>\n<h1>Bibliotek &lt;x&gt;</h1>\n<p>Hej &amp; välkommen <a "
                  "href=\"mailto:a@example.se?subject=&lt;x&gt;\">Kontakta *oss*</a> nu.</p>\n"
                  "</header>\n<main>\n") != std::string::npos);
  CHECK(page.find("<section aria-labelledby=\"area-1\">\n<h2 id=\"area-1\">Demens_sjukdom</h2>") !=
        std::string::npos);
  CHECK(page.find("<li><article aria-labelledby=\"card-ABC123\">\n<svg class=\"illustration\" "
                  "aria-hidden=\"true\"") != std::string::npos);
  CHECK(page.find("<h3 id=\"card-ABC123\">Erfaren ABC123</h3>\n<p>&lt;script&gt;alert(1)&lt;/"
                  "script&gt;</p><p>*fet*</p>\n<dl>\n<dt>Erfarenhet</dt>\n<dd>Anhörig – Demens "
                  "&amp; &lt;annat&gt;</dd>\n<dt>Ålder</dt>\n<dd>60–69 år</dd>\n</dl>\n") !=
        std::string::npos);
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("<li><article class=\"call\" aria-labelledby=\"assignment-7\">\n<h3") !=
        std::string::npos);
  CHECK(page.find("<p>Har du &lt;erfarenhet&gt;?</p>") != std::string::npos);
  CHECK(page.find("<p><a href=\"https://x.example/k\">Kontakta oss</a> och 7.</p>") !=
        std::string::npos);
  CHECK(page.find("<p>Inga &lt;fler&gt;.</p>\n</main>\n<footer>\n<p>Uppdaterad &amp; klar.</p>\n"
                  "<p><a href=\"https://x.example/a&quot;b\">Tillgänglighet</a></p>\n</footer>\n"
                  "</body>\n</html>\n") != std::string::npos);
  // Only the cards have the decorative picture; a call has none.
  CHECK(page.find("<svg") == page.rfind("<svg"));

  std::ostringstream md;
  output::write(md, output::Format::md, p);
  CHECK(md.str() ==
        "# Bibliotek \\<x\\>\n\n"
        "Hej & välkommen [Kontakta \\*oss\\*](<mailto:a@example.se?subject=\\<x\\>>) nu.\n"
        "\n## Demens\\_sjukdom\n"
        "\n### Erfaren ABC123\n\n\\<script\\>alert(1)\\</script\\>\n\n\\*fet\\*\n\n"
        "- Anhörig – Demens & \\<annat\\>\n- Ålder: 60–69 år\n"
        "\n## Öppna uppdrag\n\nHar du \\<erfarenhet\\>?\n"
        "\n### Uppdrag 7\n\nVi söker \\[någon\\]\n\n"
        "- Svara senast: 2026-12-20\n- [Kontakta oss](<https://x.example/k>) och 7.\n"
        "\nInga \\<fler\\>.\n"
        "\nUppdaterad & klar.\n"
        "\n[Tillgänglighet](<https://x.example/a\"b>)\n");

  std::ostringstream json;
  CHECK_THROWS_AS(output::write(json, output::Format::json, p), lbib::Error);
}

TEST_CASE("a RowWriter writes, row by row, what write() writes for the whole table") {
  auto t = sample_table();
  t.rows.push_back({std::int64_t{3}, std::string("line\nbreak | pipe"), std::string("=1+1")});
  auto with_audiences = t;
  with_audiences.columns.push_back("command");
  with_audiences.data_only = {"command"};
  with_audiences.people_only = {"note"};
  for (auto& row : with_audiences.rows) {
    row.push_back(std::string("lbib x"));
  }
  auto empty = t;
  empty.rows.clear();
  // Every kind of cell, and text JSON escapes: quotes, a backslash, control characters, DEL,
  // a tab; and a row of a table whose every column is left out.
  auto kinds = t;
  kinds.rows = {
      {std::int64_t{-42}, true, 77.75},
      {false, output::Term{std::int64_t{3}, "tre"}, output::Term{true, "ja"}},
      {output::Term{std::string("key \"k\""), "nyckel"}, output::Term{{}, "inget"},
       std::string("back\\slash\ttab\x01\x1f\x7f é 東")},
  };
  auto nothing = t;
  nothing.people_only = t.columns;  // JSON and CSV: objects without keys, rows without cells
  for (const auto format : {output::Format::json, output::Format::csv, output::Format::md,
                            output::Format::table, output::Format::html}) {
    for (const auto* table : {&t, &with_audiences, &empty, &kinds, &nothing}) {
      CAPTURE(static_cast<int>(format));
      std::ostringstream out;
      output::RowWriter rows(out, format, *table);
      for (const auto& row : table->rows) {
        rows.add(row);
      }
      rows.finish();
      CHECK(out.str() == render(format, *table));
    }
  }
  // JSON rows are written as they come, before the end.
  std::ostringstream out;
  output::RowWriter rows(out, output::Format::json, t);
  rows.add(t.rows[0]);
  CHECK(out.str().find("\"Åsa\"") != std::string::npos);
  rows.finish();
  CHECK(nlohmann::json::parse(out.str()).size() == 1);
  std::ostringstream ignored;
  CHECK_LBIB_ERROR(output::RowWriter(ignored, output::Format::svg, t), lbib::ExitCode::usage,
                   "svg");
  // Text that is not UTF-8 is refused as write() refuses it, not written.
  auto invalid = t;
  invalid.rows = {{std::int64_t{1}, std::string("\xC3\x28"), output::Value{}}};
  CHECK_THROWS(render(output::Format::json, invalid));
  std::ostringstream refused;
  output::RowWriter invalid_rows(refused, output::Format::json, invalid);
  CHECK_THROWS(invalid_rows.add(invalid.rows[0]));
  // CSV, Markdown and HTML rows, too, are written as they come.
  for (const auto format : {output::Format::csv, output::Format::md, output::Format::html}) {
    std::ostringstream early;
    output::RowWriter each(early, format, t);
    each.add(t.rows[0]);
    CHECK(early.str().find("Åsa") != std::string::npos);
  }
}

TEST_CASE("a RowWriter's text table fits a narrow terminal as write() fits the whole table") {
  // A text table keeps each row's text (not its Values) until finish(), then leaves out the
  // columns empty everywhere and narrow_drop's, keeps `whole` columns whole and shortens the
  // rest with "…", exactly as write() does with every row at hand.
  output::Table t{{"id", "name", "empty", "note", "command"}, {}};
  t.narrow_drop = {"note"};
  t.whole = {"command"};
  t.labels = {"Nr", "Namn", "Tom", "Anteckning", "Kommando"};
  for (std::int64_t i = 1; i <= 30; ++i) {
    t.rows.push_back({i, std::string("Person med ett långt namn ") + std::to_string(i),
                      output::Value{},
                      i % 3 == 0 ? output::Value{std::string("rad ett\nrad två")} : output::Value{},
                      std::string("lbib expert show ") + std::to_string(i)});
  }
  auto short_rows = t;
  short_rows.rows = {{std::int64_t{1}}, {std::int64_t{2}, std::string("Bo")}};  // cells missing
  for (const std::size_t width : {std::size_t{0}, std::size_t{12}, std::size_t{30}, std::size_t{45},
                                  std::size_t{60}, std::size_t{200}}) {
    CAPTURE(width);
    for (const auto* table : {&t, &short_rows}) {
      output::set_table_width(width);
      const auto whole = render(output::Format::table, *table);
      std::ostringstream out;
      output::RowWriter rows(out, output::Format::table, *table);
      for (const auto& row : table->rows) {
        rows.add(row);
      }
      rows.finish();
      CHECK(out.str() == whole);
      if (width == 45 && table == &t) {  // the fitting ran: every rule above took part
        CHECK(whole.find("Tom") == std::string::npos);         // empty everywhere: left out
        CHECK(whole.find("Anteckning") == std::string::npos);  // narrow_drop: left out
        CHECK(whole.find("lång…") != std::string::npos);       // shortened
        CHECK(whole.find("lbib expert show 30\n") != std::string::npos);  // whole
      }
    }
  }
  output::set_table_width(0);
}

TEST_CASE("a RecordWriter writes, section by section, what write() writes for the whole record") {
  auto with_audiences = sample_table();
  with_audiences.columns.push_back("command");
  with_audiences.labels = {"Nr", "Namn", "Not", "Kommando"};
  with_audiences.data_only = {"command"};
  with_audiences.people_only = {"note"};
  for (auto& row : with_audiences.rows) {
    row.push_back(std::string("lbib x \"y\""));
  }
  auto kinds = sample_table();
  kinds.rows = {{std::int64_t{-42}, true, 77.75},
                {false, output::Term{std::int64_t{3}, "tre"}, output::Term{true, "ja"}},
                {output::Term{std::string("k"), "nyckel"}, output::Term{{}, "inget"},
                 std::string("rad ett\nrad två\t\x01 | *x* é 東")}};
  auto empty = sample_table();
  empty.rows.clear();
  output::Record r;
  r.fields = {{"today", std::string("2026-06-01")},
              {"version", std::int64_t{1}},
              {"library_name", std::string("Bibliotek \"Ö\"\n")}};
  r.sections = {{"overdue", sample_table()},
                {"empty", empty},
                {"with_audiences", with_audiences},
                {"kinds", kinds},
                {"last_empty", empty}};
  output::Record no_sections;
  no_sections.fields = r.fields;
  const auto streamed = [](output::Format format, const output::Record& record, bool skip_empty) {
    std::ostringstream out;
    output::RecordWriter w(out, format, record.fields, skip_empty);
    for (const auto& [name, table] : record.sections) {
      w.section(name, table);
      for (const auto& row : table.rows) {
        w.add(row);
      }
    }
    const bool written = w.finish();
    return std::make_pair(written, out.str());
  };
  for (const std::size_t width : {std::size_t{0}, std::size_t{30}, std::size_t{80}}) {
    output::set_table_width(width);
    for (const auto format :
         {output::Format::json, output::Format::csv, output::Format::md, output::Format::table}) {
      for (const auto* record : {&r, &no_sections}) {
        CAPTURE(static_cast<int>(format));
        CAPTURE(width);
        std::ostringstream whole;
        output::write(whole, format, *record);
        CHECK(streamed(format, *record, false) == std::make_pair(true, whole.str()));
      }
    }
    // For people, sections without rows are left out, as `lbib today` leaves them out.
    for (const auto format : {output::Format::md, output::Format::table}) {
      CAPTURE(static_cast<int>(format));
      auto shown = r;
      std::erase_if(shown.sections, [](const auto& s) { return s.second.rows.empty(); });
      std::ostringstream whole;
      output::write(whole, format, shown);
      CHECK(streamed(format, r, true) == std::make_pair(true, whole.str()));
      // Every section empty: nothing at all, not even the fields.
      auto nothing = r;
      for (auto& s : nothing.sections) {
        s.second.rows.clear();
      }
      CHECK(streamed(format, nothing, true) == std::make_pair(false, std::string()));
    }
  }
  output::set_table_width(0);
  // JSON rows are written as they come, inside the object.
  std::ostringstream early;
  output::RecordWriter w(early, output::Format::json, r.fields);
  w.section("overdue", sample_table());
  w.add(sample_table().rows[0]);
  CHECK(early.str().find("\"overdue\": [\n    {\n      \"id\": 1,") != std::string::npos);
  std::ostringstream ignored;
  CHECK_LBIB_ERROR(output::RecordWriter(ignored, output::Format::html, r.fields),
                   lbib::ExitCode::usage, "for a record");
}

TEST_CASE("a document's table given row by row is written as the same table held whole") {
  output::Table t{{"nr", "label", "count", "percent", "key"},
                  {{std::int64_t{1}, std::string("Lån <med> | *möte*"), std::int64_t{7}, 77.777,
                    std::string("k1")},
                   {std::int64_t{2}, output::Term{std::string("x"), "Dagar\nmedian"},
                    output::Value{}, output::Value{}, std::string("k2")},
                   {std::int64_t{3}, true, std::int64_t{-4}, 0.0, output::Value{}}},
                  {"Nr", "Beskrivning", "Antal", "Procent", "Nyckel"},
                  {"", "", "", "%", ""}};
  t.data_only = {"key"};
  for (const std::string language : {"sv", "en"}) {
    output::Document held;
    held.title = "Rapport";
    held.language = language;
    held.parts.push_back({output::Document::Part::Kind::heading, "Tabell", {}});
    held.parts.push_back({output::Document::Part::Kind::table, {}, t, "Tabell 1", true});
    held.parts.push_back({output::Document::Part::Kind::paragraph, "Slut", {}});
    auto streamed = held;
    auto& part = streamed.parts[1];
    part.table.rows.clear();
    part.rows = [&t](const std::function<void(std::vector<output::Value>)>& visit) {
      for (const auto& row : t.rows) {
        visit(row);
      }
    };
    for (const auto format : {output::Format::html, output::Format::md}) {
      CAPTURE(static_cast<int>(format));
      CAPTURE(language);
      std::ostringstream a;
      std::ostringstream b;
      output::write(a, format, held);
      output::write(b, format, streamed);
      CHECK(a.str() == b.str());
      CHECK(a.str().find("Antal") != std::string::npos);
      CHECK(a.str().find("k2") == std::string::npos);
    }
  }
}
