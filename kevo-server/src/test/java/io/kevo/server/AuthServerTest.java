package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.server.auth.AuthFile;
import io.kevo.testkit.TestCertificates;
import io.kevo.wire.TlsFiles;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: identities (a bearer token, or a client certificate's subject) and their roles
 * from the auth file, checked before a call runs; a node that listens beyond loopback without
 * authentication does not start.
 */
class AuthServerTest extends LocalNodesFixture {
  private static final String READER = "reader-token-0123456789";
  private static final String WRITER = "writer-token-0123456789";

  private Path authFile(String... lines) throws Exception {
    Path f = dir.resolve("kevo.auth");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  private static String token(String roles, String name, String token) {
    return roles + " token " + name + " sha256:" + AuthFile.sha256(token);
  }

  private ManagedChannel channel(KevoServer s, ChannelCredentials creds) {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", s.port(), creds).build();
    open.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  private static KevoServiceGrpc.KevoServiceBlockingStub as(ManagedChannel ch, String token) {
    var stub = KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (token == null) {
      return stub;
    }
    Metadata h = new Metadata();
    h.put(WireMetadata.AUTHORIZATION, "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
  }

  private static PutRequest put(String k, String v) {
    return PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build();
  }

  private static GetRequest get(String k) {
    return GetRequest.newBuilder().setKey(b(k)).build();
  }

  private static void refused(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  @Test
  void tokensGrantTheirRolesAndNothingElseWhileHealthStaysOpen() throws Exception {
    KevoServer s =
        node(
            "n",
            ServerOptions.builder()
                .authFile(
                    authFile(
                        "# who may do what",
                        token("read", "dashboards", READER),
                        token("read,write", "app", WRITER))));
    ManagedChannel ch = channel(s, InsecureChannelCredentials.create());

    as(ch, WRITER).put(put("k", "v"));
    assertThat(as(ch, READER).get(get("k")).getValue().toStringUtf8()).isEqualTo("v");
    refused(
        () -> as(ch, READER).put(put("k", "overwritten")),
        Status.Code.PERMISSION_DENIED,
        "token dashboards lacks the role 'write' that kevo.KevoService/Put needs");
    refused(
        () -> as(ch, WRITER).compact(CompactRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        "lacks the role 'admin'");
    refused(
        () -> as(ch, null).get(get("k")),
        Status.Code.UNAUTHENTICATED,
        "this node requires an identity");
    refused(
        () -> as(ch, "guessed-token").get(get("k")),
        Status.Code.UNAUTHENTICATED,
        "the bearer token is not known to this node");
    assertThat(as(ch, READER).get(get("k")).getValue().toStringUtf8()).isEqualTo("v");
    assertThat(
            HealthGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(s.denials().permissionDenied()).isEqualTo(2);
    assertThat(s.denials().unauthenticated()).isEqualTo(2);
  }

  @Test
  void aChangedAuthFileTakesEffectWithoutARestartAndABrokenOneKeepsTheLastGrants()
      throws Exception {
    Path f = authFile(token("read", "dashboards", READER));
    KevoServer s = node("n", ServerOptions.builder().authFile(f));
    ManagedChannel ch = channel(s, InsecureChannelCredentials.create());
    refused(() -> as(ch, READER).put(put("k", "v")), Status.Code.PERMISSION_DENIED, "'write'");

    Files.writeString(f, token("read,write", "dashboards", READER) + "\n");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(() -> as(ch, READER).put(put("k", "v")));

    Files.writeString(f, "read,write token dashboards not-a-hash\n");
    await().atMost(Duration.ofSeconds(20)).until(() -> s.authorizer().refusedReloads() == 1);
    as(ch, READER).put(put("k", "still writable"));
    assertThat(as(ch, READER).get(get("k")).getValue().toStringUtf8()).isEqualTo("still writable");
  }

  @Test
  void certificateSubjectsGetTheirRolesAReplicaWithoutReplicateIsRefusedAndThePrimaryServesOn()
      throws Exception {
    Path certs = dir.resolve("certs");
    TestCertificates.Authority ca = TestCertificates.authority("kevo test CA", certs, "ca");
    TestCertificates.Issued primaryCert = ca.issue("primary", certs, "primary");
    TestCertificates.Issued good = ca.issue("replica-1", certs, "replica-1");
    TestCertificates.Issued noRole = ca.issue("replica-2", certs, "replica-2");
    TestCertificates.Issued reader = ca.issue("reporting", certs, "reporting");
    Path auth =
        authFile(
            "replicate cert CN=replica-1",
            "read cert CN=replica-2",
            "read cert CN=reporting",
            "all cert CN=primary");
    KevoServer primary =
        node(
            "primary",
            ServerOptions.builder()
                .role(NodeRole.PRIMARY)
                .authFile(auth)
                .tls(
                    TlsOptions.server(primaryCert.certFile(), primaryCert.keyFile())
                        .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE)));
    KevoServer replica1 = replicaOf(primary, "r1", good, ca);
    KevoServer replica2 = replicaOf(primary, "r2", noRole, ca);
    TlsFiles readerTls = TlsFiles.client(ca.certFile(), reader.certFile(), reader.keyFile());
    TlsFiles adminTls =
        TlsFiles.client(ca.certFile(), primaryCert.certFile(), primaryCert.keyFile());
    open.add(readerTls);
    open.add(adminTls);
    ManagedChannel reporting = channel(primary, readerTls.channelCredentials());
    ManagedChannel admin = channel(primary, adminTls.channelCredentials());

    as(admin, null).put(put("k", "v"));
    refused(
        () -> as(reporting, null).put(put("k", "mine")),
        Status.Code.PERMISSION_DENIED,
        "certificate CN=reporting lacks the role 'write'");
    assertThat(as(reporting, null).get(get("k")).getValue().toStringUtf8()).isEqualTo("v");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> replica1.db().get("k".getBytes(StandardCharsets.UTF_8)).isPresent());
    assertThat(primary.primary().connectedReplicas()).isEqualTo(1);
    assertThat(replica2.db().get("k".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(primary.denials().permissionDenied()).isPositive();
    as(admin, null).put(put("k2", "v2"));
    assertThat(as(admin, null).get(get("k2")).getValue().toStringUtf8()).isEqualTo("v2");
  }

  private KevoServer replicaOf(
      KevoServer primary,
      String name,
      TestCertificates.Issued cert,
      TestCertificates.Authority ca) {
    return node(
        name,
        ServerOptions.builder()
            .role(NodeRole.REPLICA)
            .primaryAddress(primary.address())
            .tls(
                TlsOptions.server(cert.certFile(), cert.keyFile())
                    .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE)));
  }

  @Test
  void aNodeListeningBeyondLoopbackWithoutAuthenticationRefusesToStartUnlessInsecure()
      throws Exception {
    assertThatThrownBy(() -> ServerOptions.builder().listen("0.0.0.0", 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("refusing to listen on 0.0.0.0 without authentication")
        .hasMessageContaining("--insecure");
    assertThat(ServerOptions.builder().listen("0.0.0.0", 0).insecure(true).build().insecure())
        .isTrue();
    Path f = authFile(token("read", "dashboards", READER));
    assertThat(ServerOptions.builder().listen("0.0.0.0", 0).authFile(f).build().authenticates())
        .isTrue();
    assertThat(ServerOptions.builder().listen("localhost", 0).build().authenticates()).isFalse();
  }

  @Test
  void aMalformedAuthFileIsAClearErrorNamingTheLine() throws Exception {
    Path f = authFile("# ok", "read,fly token app sha256:" + AuthFile.sha256("x"));
    assertThatThrownBy(() -> AuthFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            f + " line 2: 'fly' is not a role; roles are read, write, replicate, admin, all");
  }
}
