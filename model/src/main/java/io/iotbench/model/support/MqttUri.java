package io.iotbench.model.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The MQTT broker URIs the simulator's sink and the scorer's source accept: tcp://, ssl:// or tls://host:port. */
public final class MqttUri {
  private MqttUri() {}

  /**
   * Checks a broker URI: {@code tcp://host:port}, {@code ssl://host:port} or {@code tls://host:port}.
   *
   * @throws IllegalArgumentException saying what is wrong (never quoting the URI, which may hold credentials)
   */
  public static URI check(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("tcp") && !scheme.equals("ssl") && !scheme.equals("tls")) {
      throw new IllegalArgumentException("must start with tcp://, ssl:// or tls://");
    }
    if (parsed.getHost() == null || parsed.getPort() < 0) {
      throw new IllegalArgumentException("must be scheme://host:port");
    }
    return parsed;
  }
}
