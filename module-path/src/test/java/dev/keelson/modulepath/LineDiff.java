package dev.keelson.modulepath;

import java.util.List;

/**
 * The lines removed from and added to a text, each change under the type header (the last line
 * without indentation) it belongs to, so a reader sees which class gained or lost what.
 */
final class LineDiff {

  private LineDiff() {}

  static String of(List<String> before, List<String> after) {
    // Longest common subsequence; API files are a few hundred lines.
    int[][] common = new int[before.size() + 1][after.size() + 1];
    for (int i = before.size() - 1; i >= 0; i--) {
      for (int j = after.size() - 1; j >= 0; j--) {
        common[i][j] =
            before.get(i).equals(after.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    StringBuilder diff = new StringBuilder();
    String header = "";
    String shownHeader = null;
    int i = 0;
    int j = 0;
    while (i < before.size() || j < after.size()) {
      String line;
      char sign;
      if (i < before.size() && j < after.size() && before.get(i).equals(after.get(j))) {
        line = before.get(i++);
        j++;
        sign = ' ';
      } else if (i < before.size() && (j == after.size() || common[i + 1][j] >= common[i][j + 1])) {
        line = before.get(i++);
        sign = '-';
      } else {
        line = after.get(j++);
        sign = '+';
      }
      if (sign != ' ' && line.isBlank()) {
        continue;
      }
      boolean isHeader = !line.isEmpty() && !line.startsWith(" ");
      if (sign == ' ') {
        if (isHeader) {
          header = line;
        }
        continue;
      }
      if (!isHeader && !header.equals(shownHeader)) {
        diff.append("  ").append(header).append('\n');
        shownHeader = header;
      }
      diff.append(sign).append(' ').append(line).append('\n');
      if (isHeader) {
        header = line;
        shownHeader = line;
      }
    }
    return diff.toString();
  }
}
