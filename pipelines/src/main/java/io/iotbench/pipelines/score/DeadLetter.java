package io.iotbench.pipelines.score;

import java.io.Serializable;

/**
 * A record the scorer could not use, kept whole for inspection and replay: the original payload, the stage
 * that rejected it ({@code parse} or {@code validate}) and the reason (a one-line message naming the field).
 */
public record DeadLetter(String payload, String stage, String reason) implements Serializable {

  /** One JSON object per line, for the dead-letter files. */
  public String toJson() {
    return "{\"stage\":" + quote(stage) + ",\"reason\":" + quote(reason) + ",\"payload\":" + quote(payload) + "}";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
