package io.iotbench.runners.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Benchmark defaults that the user's own options override. */
final class BenchArgs {
  private BenchArgs() {}

  /** {@code defaults} followed by {@code args}, leaving out each default whose option the user gave. */
  static String[] withDefaults(String[] args, String... defaults) {
    List<String> merged = new ArrayList<>();
    for (String def : defaults) {
      String key = optionName(def);
      if (Arrays.stream(args).noneMatch(a -> optionName(a).equals(key))) {
        merged.add(def);
      }
    }
    merged.addAll(Arrays.asList(args));
    return merged.toArray(new String[0]);
  }

  private static String optionName(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }
}
