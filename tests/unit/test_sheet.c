/* src/sheet: CSV and XLSX reading, the hostile files, cell value helpers, and
 * a round trip through a real file written by libxlsxwriter. XLSX inputs are
 * built here in memory with libzip. */
#include "unit.h"
#include "../../src/base/buf.h"
#include "../../src/base/util.h"
#include "../../src/sheet/sheet.h"
#include "../../src/sheet/sheet_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* "[a][b]/[c]/" : rows separated by '/', each cell in brackets. */
static char *render(const sheet *s)
{
    buf b = BUF_INIT((size_t)1 << 24);
    for (size_t r = 0; r < sheet_nrows(s); r++) {
        if (r)
            buf_putc(&b, '/');
        for (size_t c = 0; c < sheet_ncols(s, r); c++)
            buf_printf(&b, "[%s]", sheet_cell(s, r, c));
    }
    return buf_detach(&b, NULL);
}

static long err_row(const gx_err *e)
{
    json_t *r = e->extra ? json_object_get(e->extra, "row") : NULL;
    return r ? (long)json_integer_value(r) : 0;
}

/* Parse and compare: want is the rendering, or NULL when an error whose
 * message contains msg (and row extra equal to row) is expected. */
static void check(const char *label, const char *data, size_t len, int format, const sheet_limits *lim,
                  const char *want, const char *msg, long row, const char *enc)
{
    gx_err e = GX_ERR_INIT;
    sheet *s = NULL;
    int rc = sheet_parse(data, len, format, lim, &s, &e);
    if (want) {
        if (rc != 0)
            fail_msg("%s: unexpected error %s", label, e.message);
        char *got = render(s);
        if (strcmp(got, want) != 0)
            fail_msg("%s:\n got  %s\n want %s", label, got, want);
        if (enc && strcmp(sheet_encoding(s), enc) != 0)
            fail_msg("%s: encoding %s, want %s", label, sheet_encoding(s), enc);
        free(got);
        sheet_free(s);
    } else {
        if (rc != -1 || s)
            fail_msg("%s: parsed, expected error %s", label, msg);
        if (e.code != GX_EVALIDATION)
            fail_msg("%s: error %d %s", label, e.code, e.message);
        if (!strstr(e.message, msg))
            fail_msg("%s: message %s, want %s", label, e.message, msg);
        if (err_row(&e) != row)
            fail_msg("%s: row %ld, want %ld", label, err_row(&e), row);
    }
    gx_err_clear(&e);
}

/* --- CSV ------------------------------------------------------------------ */

/* the last three: cells, text and memory, generous unless a case is about them */
#define ROOMY 100000, 1 << 20, 64 << 20
static const sheet_limits small = {1 << 20, 1 << 20, 3, 3, 8, ROOMY};
static const sheet_limits four_bytes = {4, 1 << 20, 10, 10, 10, ROOMY};
static const sheet_limits dates_lim = {1 << 20, 1 << 20, 10, 20, 100, ROOMY};

static void csv_table(void **state)
{
    (void)state;
    static const struct {
        const char *label, *in;
        size_t len; /* 0: strlen */
        const sheet_limits *lim;
        const char *want, *msg;
        long row;
        const char *enc;
    } cases[] = {
        {"plain", "姓名,单位\n张三,组织部\n", 0, NULL, "[姓名][单位]/[张三][组织部]", NULL, 0, "UTF-8"},
        {"crlf", "a,b\r\n1,2\r\n", 0, NULL, "[a][b]/[1][2]", NULL, 0, "UTF-8"},
        {"lone cr", "a,b\r1,2\r", 0, NULL, "[a][b]/[1][2]", NULL, 0, NULL},
        {"no final newline", "a,b\n1,2", 0, NULL, "[a][b]/[1][2]", NULL, 0, NULL},
        {"bom", "\xef\xbb\xbf姓名,单位\n张三,x\n", 0, NULL, "[姓名][单位]/[张三][x]", NULL, 0, "UTF-8"},
        {"quotes", "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", 0, NULL, "[a][b]/[x,y][he said \"hi\"]", NULL, 0,
         NULL},
        {"newline in quotes", "a,b\n\"l1\r\nl2\",z\n3,4\n", 0, NULL, "[a][b]/[l1\nl2][z]/[3][4]", NULL, 0, NULL},
        {"text after closing quote", "a\n\"x\"y\n", 0, NULL, "[a]/[xy]", NULL, 0, NULL},
        {"quote inside unquoted", "a\n5\"3\n", 0, NULL, "[a]/[5\"3]", NULL, 0, NULL},
        {"gb18030", "\xd0\xd5\xc3\xfb,\xb5\xa5\xce\xbb\r\n\xd5\xc5\xc8\xfd,\xd7\xe9\xd6\xaf\xb2\xbf\r\n", 0, NULL,
         "[姓名][单位]/[张三][组织部]", NULL, 0, "GB18030"},
        {"gb18030 quoted", "a,b\r\n\"\xc0\xee\xcb\xc4,\",1\r\n", 0, NULL, "[a][b]/[李四,][1]", NULL, 0, "GB18030"},
        {"trim", " a ,\tb\n 张三\xe3\x80\x80,\xc2\xa0x \n", 0, NULL, "[a][b]/[张三][x]", NULL, 0, NULL},
        {"empty cells kept", "a,b,c\n1,,3\n,,\n4,5,\n", 0, NULL, "[a][b][c]/[1][][3]/[][][]/[4][5][]", NULL, 0,
         NULL},
        {"empty lines kept as rows", "a,b\n\n1,2\n  \n3,4\n\n\n", 0, NULL, "[a][b]//[1][2]//[3][4]", NULL, 0, NULL},
        {"trailing empty rows dropped", "a,b\n1,2\n,\n\"\",\n\n", 0, NULL, "[a][b]/[1][2]", NULL, 0, NULL},
        {"empty file", "", 0, NULL, "", NULL, 0, NULL},
        {"only bom", "\xef\xbb\xbf", 0, NULL, "", NULL, 0, NULL},
        {"ragged long", "a,b\n1,2,3\n", 0, NULL, NULL, "第 2 行有 3 列，表头有 2 列", 2, NULL},
        {"ragged short", "a,b,c\n1,2,3\n\n4,5\n", 0, NULL, NULL, "第 4 行有 2 列，表头有 3 列", 4, NULL},
        {"ragged after quoted newline", "a,b\n\"x\ny\",1\n2\n", 0, NULL, NULL, "第 3 行有 1 列", 3, NULL},
        {"unterminated quote", "a,b\n1,\"abc\n2,3\n", 0, NULL, NULL, "第 2 行的引号没有闭合", 2, NULL},
        {"invalid encoding", "a\n\x81\x20\n", 0, NULL, NULL, "文件编码无法识别", 0, NULL},
        {"bom then not utf-8", "\xef\xbb\xbf\xd5\xc5\xc8\xfd\n", 0, NULL, NULL, "文件编码无法识别", 0, NULL},
        {"damaged utf-8, not gb18030", "姓名,单位\n张三,中共某某市委组织部\xff\n李四,市委办公室\n", 0, NULL, NULL,
         "文件编码无法识别", 0, NULL},
        {"utf-16", "\xff\xfe" "a\0,\0b\0", 8, NULL, NULL, "文件编码无法识别", 0, NULL},
        {"control char", "a,b\n1,x\x01y\n", 0, NULL, NULL, "第 2 行 B 列含有不允许的控制字符", 2, NULL},
        {"nul", "a\n\0\n", 4, NULL, NULL, "第 2 行 A 列含有不允许的控制字符", 2, NULL},
        {"del", "a\nx\x7f\n", 0, NULL, NULL, "控制字符", 2, NULL},
        {"tab allowed", "a\nx\ty\n", 0, NULL, "[a]/[x\ty]", NULL, 0, NULL},
        {"too many columns", "a,b,c,d\n", 0, &small, NULL, "第 1 行超过 3 列", 1, NULL},
        {"cell too long", "a\n123456789\n", 0, &small, NULL, "第 2 行 A 列的内容过长（超过 8 字节）", 2, NULL},
        {"quoted cell too long", "a\n\"12345\"\"6789\"\n", 0, &small, NULL, "第 2 行 A 列的内容过长", 2, NULL},
        {"cell at the limit", "a\n12345678\n", 0, &small, "[a]/[12345678]", NULL, 0, NULL},
        {"too many rows", "a\n1\n2\n3\n", 0, &small, NULL, "文件超过 3 行", 0, NULL},
        {"empty rows past the limit", "a\n1\n2\n\n\n\n\"\"\n", 0, &small, "[a]/[1]/[2]", NULL, 0, NULL},
        {"too large", "a,b,c\n", 0, &four_bytes, NULL, "文件过大（超过 4 字节）", 0,
         NULL},
    };
    for (size_t i = 0; i < GX_ARRAY_LEN(cases); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        check(cases[i].label, cases[i].in, len, 0, cases[i].lim, cases[i].want, cases[i].msg, cases[i].row,
              cases[i].enc);
    }
}

static void csv_accessors(void **state)
{
    (void)state;
    const char *in = "姓名,单位,职务\n张三,,处长\n\n";
    gx_err e = GX_ERR_INIT;
    sheet *s;
    assert_int_equal(sheet_parse(in, strlen(in), SHEET_CSV, NULL, &s, &e), 0);
    assert_int_equal(sheet_format(s), SHEET_CSV);
    assert_int_equal(sheet_nrows(s), 2);
    assert_int_equal(sheet_ncols(s, 1), 3);
    assert_string_equal(sheet_cell(s, 1, 2), "处长");
    assert_string_equal(sheet_cell(s, 1, 1), "");
    assert_string_equal(sheet_cell(s, 1, 99), "");
    assert_string_equal(sheet_cell(s, 99, 0), "");
    assert_int_equal(sheet_ncols(s, 99), 0);
    assert_false(sheet_row_empty(s, 1));
    assert_true(sheet_row_empty(s, 99));
    sheet_free(s);
    sheet_free(NULL);
}

/* --- XLSX built in memory ------------------------------------------------- */

typedef struct zentry {
    const char *name, *data;
    size_t len; /* 0: strlen */
} zentry;

/* A zip of the entries, in memory; caller frees. */
static char *zip_build(const zentry *z, size_t n, size_t *outlen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        size_t len = z[i].len ? z[i].len : strlen(z[i].data);
        zip_source_t *fs = zip_source_buffer(za, z[i].data, len, 0);
        assert_true(zip_file_add(za, z[i].name, fs, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t sz = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *out = malloc((size_t)sz);
    assert_int_equal(zip_source_read(src, out, (zip_uint64_t)sz), sz);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *outlen = (size_t)sz;
    return out;
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define WORKBOOK(pr)                                                                                          \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"" NS_MAIN                 \
    "\" xmlns:r=\"" NS_REL "\">" pr "<sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId7\"/>"               \
    "<sheet name=\"其他\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>"
#define RELS(target)                                                                                          \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"                   \
    "<Relationship Id=\"rId8\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"                \
    "<Relationship Id=\"rId7\" Type=\"" NS_REL "/worksheet\" Target=\"" target "\"/>"                           \
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"                \
    "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/></Relationships>"

static const char *styles_xml =
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"2\">"
    "<numFmt numFmtId=\"164\" formatCode=\"[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
    "<xf numFmtId=\"49\"/></cellXfs></styleSheet>";

static const char *sst_xml =
    "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
    "<si><t>姓名</t></si>"
    "<si><t xml:space=\"preserve\"> 张三 </t></si>"
    "<si><r><rPr><b/></rPr><t>组织</t></r><r><t>部</t></r></si>"
    "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
    "<si><t>a_x000D_&#10;b_x005F_x0041_</t></si>"
    "</sst>";

/* An xlsx with the standard parts; sheet_data goes inside <sheetData>. */
static char *xlsx_make(const char *workbook, const char *rels, const char *sst, const char *sheet_data,
                       size_t *len)
{
    buf ws = BUF_INIT((size_t)1 << 26);
    buf_printf(&ws, "<?xml version=\"1.0\"?><worksheet xmlns=\"%s\" xmlns:r=\"%s\"><dimension ref=\"A1\"/>"
                    "<sheetData>%s</sheetData></worksheet>",
               NS_MAIN, NS_REL, sheet_data);
    zentry z[] = {
        {"[Content_Types].xml", "<Types/>", 0},
        {"xl/workbook.xml", workbook ? workbook : WORKBOOK(""), 0},
        {"xl/_rels/workbook.xml.rels", rels ? rels : RELS("worksheets/sheet1.xml"), 0},
        {"xl/styles.xml", styles_xml, 0},
        {"xl/worksheets/sheet1.xml", ws.data, 0},
        {"xl/worksheets/sheet2.xml", "<worksheet/>", 0},
        {"xl/sharedStrings.xml", sst ? sst : sst_xml, 0},
    };
    char *out = zip_build(z, GX_ARRAY_LEN(z), len);
    buf_free(&ws);
    return out;
}

static void xlsx_table(void **state)
{
    (void)state;
    static const sheet_limits tiny = {1 << 20, 1 << 20, 5, 4, 8, ROOMY};
    static const struct {
        const char *label, *workbook, *rels, *sst, *data;
        const sheet_limits *lim;
        const char *want, *msg;
        long row;
    } cases[] = {
        {"shared, inline, rich, phonetic, escapes", NULL, NULL, NULL,
         "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>2</v></c></row>"
         "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" t=\"inlineStr\"><is><r><t>干</t></r>"
         "<r><t>训</t></r></is></c><c r=\"C2\" t=\"s\"><v>3</v></c><c r=\"D2\" t=\"s\"><v>4</v></c></row>",
         NULL, "[姓名][组织部]/[张三][干训][東京][a\nb_x0041_]", NULL, 0},
        {"skipped cells and rows", NULL, NULL, NULL,
         "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
         "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"C3\"><v>3</v></c></row>"
         "<row r=\"4\"><c r=\"A4\" s=\"1\"/></row><row r=\"9\"><c r=\"Z9\" s=\"1\"/></row>",
         NULL, "[][x]//[1][][3]", NULL, 0},
        {"rows and cells without r", NULL, NULL, NULL,
         "<row><c><v>1</v></c><c><v>2</v></c></row><row><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row>", NULL,
         "[1][2]/[][][3][4]", NULL, 0},
        {"types", NULL, NULL, NULL,
         "<row r=\"1\"><c t=\"b\"><v>1</v></c><c t=\"b\"><v>0</v></c><c t=\"e\"><v>#N/A</v></c>"
         "<c t=\"str\"><f>A1&amp;\"x\"</f><v>TRUEx</v></c><c t=\"d\"><v>2024-03-01T00:00:00Z</v></c>"
         "<c><v>13800138000</v></c><c><v>3.1400000000000001</v></c><c><v>-7</v></c></row>",
         NULL, "[TRUE][FALSE][#N/A][TRUEx][2024-03-01][13800138000][3.1400000000000001][-7]", NULL, 0},
        {"exponent", NULL, NULL, NULL,
         "<row r=\"1\"><c><v>1.0E+17</v></c><c><v>1.10105199001011E+17</v></c><c><v>1.5E-3</v></c>"
         "<c><v>1.25E+1</v></c><c><v>1E+40</v></c><c><v>-2.5E+2</v></c></row>",
         NULL, "[100000000000000000][110105199001011000][1.5E-3][1.25E+1][1E+40][-250]", NULL, 0},
        {"dates", NULL, NULL, NULL,
         "<row r=\"1\"><c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c>"
         "<c s=\"1\"><v>61</v></c><c s=\"2\"><v>45000.75</v></c><c s=\"3\"><v>0.5</v></c>"
         "<c s=\"3\"><v>45000</v></c><c><v>45000</v></c><c s=\"0\"><v>45000</v></c><c s=\"99\"><v>45000</v></c>"
         "<c s=\"1\"><v>0.25</v></c><c s=\"1\"><v>2958465</v></c><c s=\"1\"><v>2958466</v></c>"
         "<c s=\"1\"><v>45000.9999999999</v></c><c s=\"4\"><v>45000</v></c></row>",
         &dates_lim,
         "[1900-01-01][1900-02-28][1900-02-29][1900-03-01][2023-03-15][0.5][45000][45000][45000][45000][0.25]"
         "[9999-12-31][2958466][2023-03-16][45000]",
         NULL, 0},
        {"1904 dates", WORKBOOK("<workbookPr date1904=\"1\"/>"), NULL, NULL,
         "<row r=\"1\"><c s=\"1\"><v>0</v></c><c s=\"1\"><v>43538</v></c></row>", NULL, "[1904-01-01][2023-03-15]",
         NULL, 0},
        {"absolute target", NULL, RELS("/xl/worksheets/sheet1.xml"), NULL,
         "<row r=\"1\"><c><v>1</v></c></row>", NULL, "[1]", NULL, 0},
        {"dotted target", NULL, RELS("./worksheets/../worksheets/sheet1.xml"), NULL,
         "<row r=\"1\"><c><v>1</v></c></row>", NULL, "[1]", NULL, 0},
        {"trailing styled rows", NULL, NULL, NULL,
         "<row r=\"1\"><c><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>", &tiny, "[1]",
         NULL, 0},
        {"row backwards", NULL, NULL, NULL, "<row r=\"5\"><c><v>1</v></c></row><row r=\"3\"><c><v>1</v></c></row>",
         NULL, NULL, "第 3 行出现在第 5 行之后", 3},
        {"row repeated", NULL, NULL, NULL, "<row r=\"2\"></row><row r=\"2\"></row>", NULL, NULL, "第 2 行出现在", 2},
        {"cells backwards", NULL, NULL, NULL, "<row r=\"2\"><c r=\"B2\"/><c r=\"A2\"/></row>", NULL, NULL,
         "第 2 行的单元格顺序错误", 2},
        {"bad reference", NULL, NULL, NULL, "<row r=\"2\"><c r=\"2B\"/></row>", NULL, NULL, "第 2 行有无效的单元格引用", 2},
        {"bad shared index", NULL, NULL, NULL, "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>99</v></c></row>", NULL, NULL,
         "第 2 行 C 列引用了不存在的共享字符串", 2},
        {"too many columns", NULL, NULL, NULL, "<row r=\"2\"><c r=\"E2\"><v>1</v></c></row>", &tiny, NULL,
         "第 2 行超过 4 列", 2},
        {"too many rows", NULL, NULL, NULL, "<row r=\"6\"><c><v>1</v></c></row>", &tiny, NULL, "文件超过 5 行", 0},
        {"cell too long", NULL, NULL, NULL,
         "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>123456789</t></is></c></row>", &tiny, NULL,
         "第 2 行 B 列的内容过长（超过 8 字节）", 2},
        {"shared string too long", NULL, NULL, "<sst><si><t>123456789</t></si></sst>",
         "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c></row>", &tiny, NULL, "第 3 行 A 列的内容过长", 3},
        {"entity bomb", NULL, NULL,
         "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
         "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><sst><si><t>&lol2;</t></si></sst>",
         "", NULL, NULL, "文件包含不允许的 XML 实体声明", 0},
        {"malformed xml", NULL, NULL, NULL, "<row r=\"1\"><c><v>1</c></row>", NULL, NULL, "XML 格式错误", 0},
        {"no sheet in workbook", "<workbook><sheets/></workbook>", NULL, NULL, "", NULL, NULL, "找不到工作表", 0},
        {"sheet target missing", NULL, RELS("worksheets/nope.xml"), NULL, "", NULL, NULL, "找不到工作表", 0},
        {"target outside", NULL, RELS("../../../etc/passwd"), NULL, "", NULL, NULL, "找不到工作表", 0},
    };
    for (size_t i = 0; i < GX_ARRAY_LEN(cases); i++) {
        size_t len;
        char *x = xlsx_make(cases[i].workbook, cases[i].rels, cases[i].sst, cases[i].data, &len);
        check(cases[i].label, x, len, 0, cases[i].lim, cases[i].want, cases[i].msg, cases[i].row, "xlsx");
        free(x);
    }
}

/* Sets a zip entry's declared uncompressed size (local and central headers). */
static void zip_lie_size(unsigned char *d, size_t len, unsigned size)
{
    for (size_t i = 0; i + 30 < len; i++) {
        size_t at = 0;
        if (memcmp(d + i, "PK\3\4", 4) == 0)
            at = i + 22;
        else if (memcmp(d + i, "PK\1\2", 4) == 0)
            at = i + 24;
        if (at)
            for (int k = 0; k < 4; k++)
                d[at + (size_t)k] = (unsigned char)(size >> (8 * k));
    }
}

static void xlsx_hostile(void **state)
{
    (void)state;
    const sheet_limits lim = {1 << 20, 1 << 20, 1000, 100, 1000, ROOMY};
    size_t len;

    /* zip bomb: a 2 MiB entry with a 1 MiB cap, refused from its declared size */
    size_t big = (size_t)2 << 20;
    char *zeros = malloc(big);
    memset(zeros, ' ', big);
    memcpy(zeros, "<worksheet><sheetData>", 22);
    memcpy(zeros + big - 25, "</sheetData></worksheet>", 24);
    zentry z[] = {{"xl/workbook.xml", WORKBOOK(""), 0},
                  {"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"), 0},
                  {"xl/worksheets/sheet1.xml", zeros, big}};
    char *x = zip_build(z, GX_ARRAY_LEN(z), &len);
    assert_true(len < 64 * 1024);
    check("zip bomb (declared)", x, len, 0, &lim, NULL, "文件解压后过大", 0, NULL);
    check("zip bomb under the default cap", x, len, 0, NULL, "", NULL, 0, NULL);
    /* the same with the entry claiming 100 bytes: caught while inflating */
    zip_lie_size((unsigned char *)x, len, 100);
    check("zip bomb (lying size)", x, len, 0, &lim, NULL, "文件解压后过大", 0, NULL);
    free(x);
    free(zeros);

    /* shared strings amplified: 2,000 references to one 1,000-byte string make
     * 2 MB of cell text from 45 KB of sheet; the text is counted per use */
    buf b = BUF_INIT((size_t)1 << 24);
    buf_puts(&b, "<sst><si><t>");
    for (int i = 0; i < 1000; i++)
        buf_putc(&b, 'x');
    buf_puts(&b, "</t></si></sst>");
    char *sst = buf_detach(&b, NULL);
    for (int r = 1; r <= 500; r++) {
        buf_printf(&b, "<row r=\"%d\">", r);
        for (int c = 0; c < 4; c++)
            buf_puts(&b, "<c t=\"s\"><v>0</v></c>");
        buf_puts(&b, "</row>");
    }
    char *rows = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, sst, rows, &len);
    check("shared strings amplified", x, len, 0,
          &(sheet_limits){1 << 20, 1 << 20, 1000, 10, 1000, 100000, 600000, 64 << 20}, NULL,
          "文件的文字内容过多（超过 600000 字节）", 0, NULL);
    check("shared strings, few cells", x, len, 0,
          &(sheet_limits){1 << 20, 1 << 20, 1000, 10, 1000, 1999, 3 << 20, 64 << 20}, NULL,
          "文件的单元格过多（超过 1999 个）", 0, NULL);
    gx_err e = GX_ERR_INIT;
    sheet *s;
    assert_int_equal(
        sheet_parse(x, len, 0, &(sheet_limits){1 << 20, 1 << 20, 1000, 10, 1000, 2000, 3 << 20, 64 << 20}, &s, &e),
        0);
    assert_int_equal(sheet_nrows(s), 500);
    assert_int_equal(strlen(sheet_cell(s, 499, 3)), 1000);
    sheet_free(s);
    free(x);
    free(sst);
    free(rows);

    /* a DOCTYPE with an external entity in the worksheet */
    zentry doctype[] = {{"xl/workbook.xml", WORKBOOK(""), 0},
                        {"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"), 0},
                        {"xl/worksheets/sheet1.xml",
                         "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><worksheet><sheetData/></worksheet>", 0}};
    x = zip_build(doctype, GX_ARRAY_LEN(doctype), &len);
    check("doctype in sheet", x, len, 0, NULL, NULL, "文件包含不允许的 XML 实体声明", 0, NULL);
    free(x);

    /* .NET OpenXML SDK style: every element with an x: prefix, no styles */
    zentry prefixed[] = {{"xl/workbook.xml", WORKBOOK(""), 0},
                         {"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"), 0},
                         {"xl/worksheets/sheet1.xml",
                          "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"s\">"
                          "<x:v>0</x:v></x:c><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>y</x:t></x:is></x:c></x:row>"
                          "</x:sheetData></x:worksheet>",
                          0},
                         {"XL/SharedStrings.xml", sst_xml, 0}};
    x = zip_build(prefixed, GX_ARRAY_LEN(prefixed), &len);
    check("prefixed elements", x, len, 0, NULL, "[姓名][y]", NULL, 0, NULL);
    free(x);

    /* a renamed text file, a zip that is not a workbook, an empty zip */
    check("text as xlsx", "姓名,单位\n", strlen("姓名,单位\n"), SHEET_XLSX, NULL, NULL,
          "文件不是有效的 Excel（.xlsx）文件", 0, NULL);
    zentry docx[] = {{"word/document.xml", "<w:document/>", 0}};
    x = zip_build(docx, 1, &len);
    check("docx", x, len, 0, NULL, NULL, "文件不是有效的 Excel（.xlsx）文件", 0, NULL);
    free(x);
    check("empty zip", "PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22, 0, NULL, NULL,
          "文件不是有效的 Excel（.xlsx）文件", 0, NULL);
    check("truncated zip", "PK\3\4\x14\0\0\0\x08\0", 10, 0, NULL, NULL, "文件不是有效的 Excel（.xlsx）文件", 0,
          NULL);
    x = xlsx_make(NULL, NULL, NULL, "<row r=\"1\"><c><v>1</v></c></row>", &len);
    check("truncated xlsx", x, len / 2, 0, NULL, NULL, "文件不是有效的 Excel（.xlsx）文件", 0, NULL);
    /* too large for max_file */
    check("over max_file", x, len, 0, &(sheet_limits){100, 1 << 20, 10, 10, 10, ROOMY}, NULL, "文件过大（超过 100 字节）",
          0, NULL);
    /* an xlsx named .csv is still read as xlsx */
    check("xlsx as csv", x, len, SHEET_CSV, NULL, "[1]", NULL, 0, "xlsx");
    free(x);

    /* OLE compound files: old .xls, and an encrypted xlsx */
    char ole[1024] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    memcpy(ole + 600, "W\0o\0r\0k\0b\0o\0o\0k\0", 16);
    check("xls", ole, sizeof ole, 0, NULL, NULL, "请将 .xls 文件另存为 .xlsx 后再导入", 0, NULL);
    check("xls as csv", ole, sizeof ole, SHEET_CSV, NULL, NULL, "请将 .xls 文件另存为 .xlsx 后再导入", 0, NULL);
    memcpy(ole + 700, "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
    check("encrypted", ole, sizeof ole, 0, NULL, NULL, "文件已加密，请取消密码后再导入", 0, NULL);

    /* a zip entry encrypted with a password */
    if (zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
        zip_error_t ze;
        zip_error_init(&ze);
        zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
        zip_source_keep(src);
        zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
        const char *wb = WORKBOOK("");
        zip_int64_t i = zip_file_add(za, "xl/workbook.xml", zip_source_buffer(za, wb, strlen(wb), 0), 0);
        zip_file_set_encryption(za, (zip_uint64_t)i, ZIP_EM_AES_256, "secret");
        zip_close(za);
        zip_source_open(src);
        zip_source_seek(src, 0, SEEK_END);
        len = (size_t)zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        x = malloc(len);
        zip_source_read(src, x, len);
        zip_source_close(src);
        zip_source_free(src);
        check("zip encryption", x, len, 0, NULL, NULL, "文件已加密", 0, NULL);
        free(x);
    }
}

/* --- memory: amplification files and allocation failure ----------------------- */

/* The bound every parse is held to: what it accounts for never passes
 * max_memory (libzip's share, outside the count, is bounded by the entry
 * and directory caps of xlsx.c). */
static size_t amp_parse(const char *label, const char *data, size_t len, const sheet_limits *lim, int want_ok,
                        const char *msg)
{
    sheet_mem m = {.max = lim->max_memory};
    gx_err e = GX_ERR_INIT;
    sheet *s = NULL;
    int rc = sheet_parse_mem(data, len, 0, lim, &m, &s, &e);
    if (m.peak > lim->max_memory)
        fail_msg("%s: peak %zu over the budget %zu", label, m.peak, lim->max_memory);
    if (want_ok && rc != 0)
        fail_msg("%s: unexpected error %s", label, e.message);
    if (!want_ok) {
        if (rc != -1 || s)
            fail_msg("%s: parsed, expected an error", label);
        if (e.code != GX_EVALIDATION || !strstr(e.message, msg))
            fail_msg("%s: error %d %s, want %s", label, e.code, e.message, msg);
        if (m.used != 0)
            fail_msg("%s: %zu bytes still held after the error", label, m.used);
    }
    if (getenv("GX_SHEET_PEAKS")) /* the figures quoted in docs/modules/sheet.md */
        printf("%-36s %7zu KB in, peak %9zu bytes, %s\n", label, len >> 10, m.peak, rc ? e.message : "read");
    sheet_free(s);
    gx_err_clear(&e);
    return m.peak;
}

static void xlsx_amplification(void **state)
{
    (void)state;
    const sheet_limits *def = &sheet_default_limits;
    buf b = BUF_INIT((size_t)1 << 26);
    size_t len;

    /* issue 7: one 32 KiB shared string used by 80,000 cells. Once copied
     * per cell (2.5 GiB asked for); now 80,000 records, refused by the text
     * budget, and the parse holds a few MB. */
    buf_puts(&b, "<sst><si><t>");
    for (int i = 0; i < 32768; i++)
        buf_putc(&b, (char)('a' + i % 26));
    buf_puts(&b, "</t></si></sst>");
    char *sst = buf_detach(&b, NULL);
    for (int r = 1; r <= 4000; r++) {
        buf_printf(&b, "<row r=\"%d\">", r);
        for (int c = 0; c < 20; c++)
            buf_puts(&b, "<c t=\"s\"><v>0</v></c>");
        buf_puts(&b, "</row>");
    }
    char *rows = buf_detach(&b, NULL);
    char *x = xlsx_make(NULL, NULL, sst, rows, &len);
    assert_true(len < 64 * 1024);
    size_t peak = amp_parse("32 KiB x 80,000", x, len, def, 0, "文件的文字内容过多（超过 64 MB）");
    if (peak > ((size_t)8 << 20))
        fail_msg("32 KiB x 80,000: peak %zu", peak);
    /* with room for the text, it is read, still without copies */
    sheet_limits roomy = *def;
    roomy.max_text = (size_t)3 << 30;
    peak = amp_parse("32 KiB x 80,000, text allowed", x, len, &roomy, 1, NULL);
    if (peak > ((size_t)8 << 20))
        fail_msg("32 KiB x 80,000 read: peak %zu", peak);
    free(x);
    free(sst);
    free(rows);

    /* many small shared strings: more than there may be cells */
    sheet_limits few = *def;
    few.max_cells = 100000;
    buf_puts(&b, "<sst>");
    for (int i = 0; i < 150000; i++)
        buf_printf(&b, "<si><t>%d</t></si>", i);
    buf_puts(&b, "</sst>");
    sst = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, sst, "<row r=\"1\"><c t=\"s\"><v>149999</v></c></row>", &len);
    amp_parse("150,000 shared strings", x, len, &few, 0, "文件的共享字符串过多（超过 100000 个）");
    amp_parse("150,000 shared strings, default", x, len, def, 1, NULL);
    free(x);
    free(sst);

    /* the largest dimension Excel allows, two cells at opposite corners */
    x = xlsx_make(NULL, NULL, NULL,
                  "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                  "<row r=\"1000000\"><c r=\"IV1000000\"><v>2</v></c></row>",
                  &len);
    amp_parse("sparse corners", x, len, def, 1, NULL);
    free(x);
    x = xlsx_make(NULL, NULL, NULL, "<row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>", &len);
    amp_parse("past the corner", x, len, def, 0, "第 1048576 行超过 256 列");
    free(x);

    /* deep XML: 300,000 nested elements (expat keeps every open tag: 47 MB
     * before nesting was capped), in the sheet and in the shared strings */
    for (int i = 0; i < 300000; i++)
        buf_puts(&b, "<a>");
    for (int i = 0; i < 300000; i++)
        buf_puts(&b, "</a>");
    char *deep = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, NULL, deep, &len);
    amp_parse("deep xml", x, len, def, 0, "xl/worksheets/sheet1.xml 的 XML 嵌套超过 64 层");
    free(x);
    buf_printf(&b, "<sst><si>%s</si></sst>", deep);
    sst = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, sst, "", &len);
    amp_parse("deep xml, shared strings", x, len, def, 0, "sharedStrings.xml 的 XML 嵌套超过 64 层");
    free(x);
    free(sst);
    free(deep);
    /* nesting at the cap is read */
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "<a>");
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "</a>");
    buf_puts(&b, "<row r=\"1\"><c><v>1</v></c></row>");
    deep = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, NULL, deep, &len);
    amp_parse("60 levels", x, len, def, 1, NULL);
    free(x);
    free(deep);
    sheet_limits tight = *def;
    tight.max_memory = (size_t)4 << 20;

    /* one huge start tag: expat holds it whole, and scans it again for every
     * chunk fed (a 200 MB tag: 337 s of CPU before tags were capped) */
    buf_puts(&b, "<row r=\"1\"><c r=\"A1\" x=\"");
    for (int i = 0; i < (6 << 20); i++)
        buf_putc(&b, 'x');
    buf_puts(&b, "\"><v>1</v></c></row>");
    rows = buf_detach(&b, NULL);
    x = xlsx_make(NULL, NULL, NULL, rows, &len);
    amp_parse("6 MB tag", x, len, def, 0, "xl/worksheets/sheet1.xml 的 XML 标记过长，超过 1 MB");
    free(x);
    free(rows);

    /* over the memory budget: the sparse corners need 13 MB of row records */
    x = xlsx_make(NULL, NULL, NULL,
                  "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                  "<row r=\"1000000\"><c r=\"IV1000000\"><v>2</v></c></row>",
                  &len);
    amp_parse("sparse corners, 4 MB", x, len, &tight, 0, "文件过于复杂，读取所需内存超过 4 MB");
    free(x);

    /* a zip of 20,000 empty entries: refused before libzip reads them */
    zentry *many = calloc(20003, sizeof *many);
    char (*names)[32] = calloc(20000, sizeof *names);
    many[0] = (zentry){"xl/workbook.xml", WORKBOOK(""), 0};
    many[1] = (zentry){"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"), 0};
    many[2] = (zentry){"xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>", 0};
    for (int i = 0; i < 20000; i++) {
        snprintf(names[i], sizeof names[i], "x/%d", i);
        many[3 + i] = (zentry){names[i], " ", 1};
    }
    x = zip_build(many, 20003, &len);
    amp_parse("20,000 entries", x, len, def, 0, "压缩包内的文件过多");
    free(x);
    free(names);
    free(many);
}

/* Fail the Nth allocation of a parse, for every N the parse makes: each
 * must end in GX_EUNAVAIL with nothing held (ASan checks nothing leaks). */
static void fault_injection(const char *label, const char *data, size_t len)
{
    size_t n = 0;
    for (size_t at = 1;; at++) {
        sheet_mem m = {.max = sheet_default_limits.max_memory, .fail_at = at};
        gx_err e = GX_ERR_INIT;
        sheet *s = NULL;
        int rc = sheet_parse_mem(data, len, 0, NULL, &m, &s, &e);
        if (rc == 0) {
            if (m.count >= at)
                fail_msg("%s: allocation %zu failed and the parse succeeded", label, at);
            sheet_free(s);
            n = at - 1;
            break;
        }
        if (s || e.code != GX_EUNAVAIL || strcmp(e.message, "服务器资源不足，请稍后重试") != 0)
            fail_msg("%s: allocation %zu: error %d %s", label, at, e.code, e.message);
        if (m.used != 0)
            fail_msg("%s: allocation %zu: %zu bytes still held", label, at, m.used);
        gx_err_clear(&e);
    }
    if (n < 5)
        fail_msg("%s: only %zu allocations", label, n);
    if (getenv("GX_SHEET_PEAKS"))
        printf("%s: each of %zu allocations failed in turn\n", label, n);
}

static void alloc_failure(void **state)
{
    (void)state;
    size_t len;
    char *x = xlsx_make(NULL, NULL, NULL,
                        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>2</v></c></row>"
                        "<row r=\"2\"><c t=\"s\"><v>1</v></c><c t=\"inlineStr\"><is><t>干训</t></is></c>"
                        "<c s=\"1\"><v>45000</v></c><c><v>1.0E+17</v></c></row>",
                        &len);
    fault_injection("xlsx", x, len);
    free(x);
    const char *csv = "姓名,单位\n\"张三\",\"组织\"\"部\"\n\n李四,x\n";
    fault_injection("csv", csv, strlen(csv));
    const char *gb = "\xd0\xd5\xc3\xfb,\xb5\xa5\xce\xbb\r\n\"\xd5\xc5\xc8\xfd\",\xd7\xe9\xd6\xaf\xb2\xbf\r\n";
    fault_injection("gb18030", gb, strlen(gb));
}

/* --- cell value helpers ----------------------------------------------------- */

static void cell_values(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int date;
    } fmts[] = {
        {"yyyy-mm-dd", 1}, {"m/d/yy", 1}, {"[$-804]yyyy\"年\"m\"月\"d\"日\"", 1}, {"mmm", 1}, {"YYYY/MM/DD", 1},
        {"h:mm", 0}, {"mm:ss", 0}, {"[h]:mm", 0}, {"h:mm AM/PM", 0}, {"0.00", 0}, {"General", 0}, {"@", 0},
        {"\"day\"0", 0}, {"[Red]0.00", 0}, {"0.00E+00", 0}, {"#,##0\\d", 0}, {"0_m", 0}, {"yyyy-mm-dd h:mm", 1},
    };
    for (size_t i = 0; i < GX_ARRAY_LEN(fmts); i++)
        if (sheet_numfmt_is_date(fmts[i].code) != fmts[i].date)
            fail_msg("numfmt %s: want %d", fmts[i].code, fmts[i].date);
    assert_true(sheet_builtin_date(14) && sheet_builtin_date(22) && sheet_builtin_date(31) &&
                sheet_builtin_date(58));
    assert_false(sheet_builtin_date(0) || sheet_builtin_date(13) || sheet_builtin_date(49) ||
                 sheet_builtin_date(164));

    static const struct {
        const char *v;
        int d1904;
        const char *want; /* NULL: keep the text */
    } serials[] = {
        {"1", 0, "1900-01-01"},     {"59", 0, "1900-02-28"},      {"60", 0, "1900-02-29"},
        {"61", 0, "1900-03-01"},    {"45000", 0, "2023-03-15"},   {"45000.5", 0, "2023-03-15"},
        {"2958465", 0, "9999-12-31"}, {"2958466", 0, NULL},       {"0", 0, NULL},
        {"0.999", 0, NULL},         {"-1", 0, NULL},              {"abc", 0, NULL},
        {"1e3", 0, "1902-09-26"},   {"inf", 0, NULL},             {"nan", 0, NULL},
        {"0", 1, "1904-01-01"},     {"43538", 1, "2023-03-15"},   {"", 0, NULL},
    };
    for (size_t i = 0; i < GX_ARRAY_LEN(serials); i++) {
        char out[11];
        int rc = sheet_serial_date(serials[i].v, strlen(serials[i].v), serials[i].d1904, out);
        if (serials[i].want ? rc != 0 || strcmp(out, serials[i].want) != 0 : rc != -1)
            fail_msg("serial %s: rc %d", serials[i].v, rc);
    }

    static const struct {
        const char *v, *want;
    } exps[] = {
        {"1.0E+17", "100000000000000000"}, {"1E+17", "100000000000000000"}, {"1.5e3", "1500"},
        {"-2.50E+1", "-25"}, {"0E+5", "0"}, {"-0.0E+0", "0"}, {"1.5E+0", NULL}, {"1.5E-3", NULL},
        {"1E+29", "100000000000000000000000000000"}, {"1E+30", NULL}, {"12", NULL}, {"E+5", NULL},
        {"1.2E", NULL}, {"1.2E+5x", NULL}, {"1E+99999", NULL}, {"0.001E+3", "1"},
        {"1234567890123456789012345678901E+0", NULL},
    };
    for (size_t i = 0; i < GX_ARRAY_LEN(exps); i++) {
        char out[64];
        int rc = sheet_expand_exp(exps[i].v, strlen(exps[i].v), out, sizeof out);
        if (exps[i].want ? rc != 0 || strcmp(out, exps[i].want) != 0 : rc != -1)
            fail_msg("exp %s: rc %d", exps[i].v, rc);
    }

    char s[] = "a_x000D__x000a_b_x0001_c_x000B_d_x4E2D__x005F_x0041__xZZ99_\x7f";
    size_t n = sheet_xstring_decode(s, strlen(s));
    s[n] = 0;
    assert_string_equal(s, "a\r\nbc\nd中_x0041__xZZ99_");

    char name[16];
    sheet_col_name(0, name);
    assert_string_equal(name, "A");
    sheet_col_name(25, name);
    assert_string_equal(name, "Z");
    sheet_col_name(26, name);
    assert_string_equal(name, "AA");
    sheet_col_name(16383, name);
    assert_string_equal(name, "XFD");
}

/* --- a real file from libxlsxwriter ---------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void xlsxwriter_round_trip(void **state)
{
    (void)state;
    for (int constant = 0; constant <= 1; constant++) {
        char path[] = "/tmp/gx_sheet_XXXXXX.xlsx";
        int fd = mkstemps(path, 5);
        assert_true(fd >= 0);
        close(fd);
        lxw_workbook_options opt = {.constant_memory = (uint8_t)constant, .tmpdir = "/tmp"};
        lxw_workbook *wb = workbook_new_opt(path, &opt);
        assert_non_null(wb);
        lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
        workbook_add_worksheet(wb, "其他");
        lxw_format *df = workbook_add_format(wb);
        format_set_num_format(df, "yyyy-mm-dd");
        lxw_format *cf = workbook_add_format(wb);
        format_set_num_format(cf, "yyyy\"年\"m\"月\"d\"日\"");
        const char *head[] = {"姓名", "出生日期", "手机", "职务", "在职", "工龄", "入职"};
        for (int c = 0; c < 7; c++)
            worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
        worksheet_write_string(ws, 1, 0, "张三", NULL);
        worksheet_write_datetime(ws, 1, 1, &(lxw_datetime){1980, 5, 17, 0, 0, 0}, df);
        worksheet_write_number(ws, 1, 2, 13800138000.0, NULL);
        worksheet_write_string(ws, 1, 3, "处长", NULL);
        worksheet_write_boolean(ws, 1, 4, 1, NULL);
        worksheet_write_number(ws, 1, 5, 12.5, NULL);
        worksheet_write_number(ws, 1, 6, 36526, cf);
        worksheet_write_string(ws, 2, 0, "  李四 ", NULL);
        worksheet_write_datetime(ws, 2, 1, &(lxw_datetime){1900, 2, 28, 0, 0, 0}, df);
        worksheet_write_number(ws, 2, 2, 1e17, NULL);
        worksheet_write_boolean(ws, 2, 4, 0, NULL);
        worksheet_write_number(ws, 2, 5, -3, NULL);
        worksheet_write_datetime(ws, 2, 6, &(lxw_datetime){1900, 3, 1, 0, 0, 0}, cf);
        worksheet_write_string(ws, 4, 1, "第 5 行 B 列", NULL);
        worksheet_write_blank(ws, 6, 3, df); /* formatted but empty: trailing, dropped */
        assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

        size_t len;
        char *data = slurp(path, &len);
        unlink(path);
        gx_err e = GX_ERR_INIT;
        sheet *s;
        if (sheet_parse(data, len, 0, NULL, &s, &e) != 0)
            fail_msg("constant_memory %d: %s", constant, e.message);
        char *got = render(s);
        assert_string_equal(got, "[姓名][出生日期][手机][职务][在职][工龄][入职]/"
                                 "[张三][1980-05-17][13800138000][处长][TRUE][12.5][2000-01-01]/"
                                 "[李四][1900-02-28][100000000000000000][][FALSE][-3][1900-03-01]/"
                                 "/[][第 5 行 B 列]");
        assert_int_equal(sheet_format(s), SHEET_XLSX);
        assert_string_equal(sheet_encoding(s), "xlsx");
        assert_true(sheet_row_empty(s, 3));
        free(got);
        sheet_free(s);
        free(data);
    }
}

const struct CMUnitTest sheet_tests[] = {
    cmocka_unit_test(csv_table),    cmocka_unit_test(csv_accessors),         cmocka_unit_test(xlsx_table),
    cmocka_unit_test(xlsx_hostile), cmocka_unit_test(cell_values),           cmocka_unit_test(xlsxwriter_round_trip),
    cmocka_unit_test(xlsx_amplification), cmocka_unit_test(alloc_failure),
};
const size_t sheet_tests_n = sizeof sheet_tests / sizeof sheet_tests[0];
