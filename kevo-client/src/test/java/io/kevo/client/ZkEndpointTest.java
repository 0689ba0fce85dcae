package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing {@code zk://} endpoints and the options that carry one; no ZooKeeper involved. */
class ZkEndpointTest {
  @Test
  void parsesOneServerOrAnEnsembleAndTheClusterName() {
    ZkEndpoint one = ZkEndpoint.parse("zk://127.0.0.1:2181/prod");
    assertThat(one.connectString()).isEqualTo("127.0.0.1:2181");
    assertThat(one.cluster()).isEqualTo("prod");
    assertThat(one.coordinatorOptions().clusterPath()).isEqualTo("/kevo/clusters/prod");
    assertThat(one).hasToString("zk://127.0.0.1:2181/prod");

    ZkEndpoint three =
        ZkEndpoint.parse("zk://zk-1.example.com:2181,zk-2:2182,10.0.0.3:2183/a_b.c-1");
    assertThat(three.connectString()).isEqualTo("zk-1.example.com:2181,zk-2:2182,10.0.0.3:2183");
    assertThat(three.cluster()).isEqualTo("a_b.c-1");
    assertThat(ZkEndpoint.isZk("ZK://h:1/c")).isTrue();
    assertThat(ZkEndpoint.isZk("h:1")).isFalse();
    assertThat(ZkEndpoint.isZk(null)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "zk://127.0.0.1:2181|the cluster name is missing after the servers",
        "zk://127.0.0.1:2181/|the cluster name is missing after the servers",
        "zk:///prod|no ZooKeeper server before the cluster name",
        "zk://a:1,,b:2/prod|an empty server in the list",
        "zk://a:1,/prod|an empty server in the list",
        "zk://localhost/prod|server 'localhost' has no port",
        "zk://:2181/prod|server ':2181' has a malformed host ''",
        "zk://bad_host!:2181/prod|malformed host 'bad_host!'",
        "zk://[::1]:2181/prod|malformed host '[::1]'",
        "zk://h:port/prod|server 'h:port' has a malformed port 'port'",
        "zk://h:70000/prod|server 'h:70000' has port 70000, outside 1-65535",
        "zk://h:0/prod|has port 0, outside 1-65535",
        "zk://h:+5/prod|has port +5, outside 1-65535",
        "zk://h:2181/a/b|cluster name 'a/b' must be 1-64 letters",
        "zk://h:2181/-x|cluster name '-x' must be",
      })
  void aMalformedEndpointNamesThePartThatIsWrong(String url, String why) {
    assertThatThrownBy(() -> ZkEndpoint.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed ZooKeeper endpoint '" + url + "'")
        .hasMessageContaining(why)
        .hasMessageContaining("expected zk://HOST:PORT[,HOST:PORT...]/CLUSTER");
    // The options report the same, and so does KevoClient.connect, before touching the network.
    assertThatThrownBy(() -> ClientOptions.forEndpoint(url)).hasMessageContaining(why);
    assertThatThrownBy(() -> KevoClient.connect(url)).hasMessageContaining(why);
  }

  @Test
  void aClusterNameLongerThan64IsRefused() {
    String url = "zk://h:1/" + "c".repeat(65);
    assertThatThrownBy(() -> ZkEndpoint.parse(url)).hasMessageContaining("must be 1-64");
  }

  @Test
  void anotherSchemeIsNotAZooKeeperEndpoint() {
    assertThatThrownBy(() -> ZkEndpoint.parse("http://h:1/c"))
        .hasMessageContaining("the scheme must be zk://");
    // As a plain endpoint it is no HOST:PORT either.
    assertThatThrownBy(() -> ClientOptions.forEndpoint("http://h:1/c"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionsWithAZooKeeperEndpointHaveNoFixedSeeds() {
    ClientOptions o =
        ClientOptions.builder()
            .endpoint("zk://127.0.0.1:2181/prod")
            .coordinatorTimeout(Duration.ofSeconds(2))
            .build();
    assertThat(o.coordinator()).isEqualTo("zk://127.0.0.1:2181/prod");
    assertThat(o.zkEndpoint().cluster()).isEqualTo("prod");
    assertThat(o.endpoints()).isEmpty();
    assertThat(o.coordinatorTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.toString())
        .contains("coordinator=zk://127.0.0.1:2181/prod")
        .contains("coordinatorTimeout=PT2S")
        .doesNotContain("endpoints=");
    // toBuilder keeps it; a later endpoints(...) replaces it.
    assertThat(o.toBuilder().build().coordinator()).isEqualTo(o.coordinator());
    ClientOptions fixed = o.toBuilder().endpoints(List.of("h:1", "h:2")).build();
    assertThat(fixed.coordinator()).isNull();
    assertThat(fixed.zkEndpoint()).isNull();
    assertThat(fixed.endpoints()).containsExactly("h:1", "h:2");
    assertThat(fixed.toString()).contains("endpoints=[h:1, h:2]");
    assertThat(ClientOptions.DEFAULT.coordinator()).isNull();
    assertThat(ClientOptions.DEFAULT.coordinatorTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aZooKeeperEndpointStandsAloneAndItsTimeoutMustBePositive() {
    assertThatThrownBy(
            () -> ClientOptions.builder().endpoints(List.of("h:1", "zk://h:2/c")).build())
        .hasMessageContaining("a zk:// endpoint stands alone");
    assertThatThrownBy(
            () ->
                ClientOptions.builder()
                    .endpoint("zk://h:2/c")
                    .coordinatorTimeout(Duration.ZERO)
                    .build())
        .hasMessageContaining("coordinatorTimeout must be positive");
  }
}
