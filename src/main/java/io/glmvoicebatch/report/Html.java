package io.glmvoicebatch.report;

/**
 * Escaping for the report. Every id, message and reply text is user or service data, so nothing reaches
 * the page unescaped: {@link #escape} for element text and quoted attribute values (HTML and SVG alike),
 * {@link #scriptJson} for JSON inside a {@code <script type="application/json">} element, and
 * {@link #hrefPath} for relative links built from file paths.
 */
public final class Html {
  private Html() {}

  /** Escapes {@code & < > " '} so the result is safe as element text and as a quoted attribute value. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep == null && (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f)) {
        rep = "\uFFFD"; // control characters are not allowed in HTML text
      }
      if (rep != null) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(rep);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * Makes JSON text safe inside a {@code <script>} element: every {@code <}, {@code >} and {@code &}
   * becomes a JSON unicode escape (so no {@code </script>} or {@code <!--} can appear), as do U+2028 and
   * U+2029. Those characters only ever occur inside JSON strings, where the escapes mean the same thing,
   * so the result parses to the identical value.
   */
  public static String scriptJson(String json) {
    StringBuilder sb = new StringBuilder(json.length() + 64);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        case '&' -> sb.append("\\u0026");
        case '\u2028' -> sb.append("\\u2028");
        case '\u2029' -> sb.append("\\u2029");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A relative URL path from '/'-separated {@code path}: each segment is UTF-8 percent-encoded except
   * RFC 3986 unreserved characters, so a ':' can never turn a segment into a scheme ("javascript:"), and
   * '#', '?', '%' and spaces in ids stay part of the file name.
   */
  public static String hrefPath(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 16);
    String[] segments = path.replace('\\', '/').split("/", -1);
    for (int s = 0; s < segments.length; s++) {
      if (s > 0) {
        sb.append('/');
      }
      byte[] bytes = segments[s].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (byte b : bytes) {
        int c = b & 0xff;
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
            || c == '_' || c == '~') {
          sb.append((char) c);
        } else {
          sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
      }
    }
    return sb.toString();
  }
}
