package io.glmvoicebatch.manifest;

/** Ids become file names under the output folder, so they must not be able to escape it. */
final class ItemIdRule {
  static final int MAX_LENGTH = 128;

  private ItemIdRule() {}

  /** Returns null when the id is acceptable, else why it is not. */
  static String problemWith(String id) {
    if (id.isEmpty()) {
      return "id is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "id is " + id.length() + " characters long (at most " + MAX_LENGTH + ")";
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
