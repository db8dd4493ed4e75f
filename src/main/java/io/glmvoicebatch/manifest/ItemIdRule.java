package io.glmvoicebatch.manifest;

/** Ids become file names under the output folder, so they must not be able to escape it. */
final class ItemIdRule {
  static final int MAX_LENGTH = 128;
  /**
   * File names are at most 255 bytes on ext4, xfs, btrfs and tmpfs; the longest one made from an id,
   * {@code .<id>.part000.wav.tmp-<thread id>}, adds up to 38 bytes, so the id keeps 200.
   */
  static final int MAX_UTF8_BYTES = 200;

  private ItemIdRule() {}

  /** Returns null when the id is acceptable, else why it is not. */
  static String problemWith(String id) {
    if (id.isEmpty()) {
      return "id is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "id is " + id.length() + " characters long (at most " + MAX_LENGTH + ")";
    }
    int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_UTF8_BYTES) {
      return "id is " + bytes + " bytes in UTF-8 (at most " + MAX_UTF8_BYTES + ", so its reply file names fit "
          + "the 255-byte file-name limit)";
    }
    if (id.equals(".") || id.contains("..")) {
      return "id '" + printable(id) + "' contains '..' or is '.'";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '\\') {
        return "id '" + printable(id) + "' contains a path separator '" + c + "'";
      }
      if (Character.isISOControl(c)) {
        return "id '" + printable(id) + "' contains a control character (U+" + String.format("%04X", (int) c) + ")";
      }
      if (c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') {
        return "id '" + printable(id) + "' contains '" + c + "', which is not allowed in file names";
      }
    }
    if (id.startsWith("-") || id.startsWith(" ") || id.endsWith(" ")) {
      return "id '" + printable(id) + "' starts with '-' or has leading/trailing spaces";
    }
    return null;
  }

  private static String printable(String id) {
    StringBuilder sb = new StringBuilder();
    for (char c : id.toCharArray()) {
      sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
