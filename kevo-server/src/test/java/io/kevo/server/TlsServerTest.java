package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.proto.GetRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.PutRequest;
import io.kevo.testkit.TestCertificates;
import io.kevo.wire.TlsFiles;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS on a node's one port, for clients and replicas alike, with certificates the test makes: a
 * primary that requires client certificates serves clients and replicas that have one from its CA,
 * refuses the rest and keeps serving; certificates are rotated by replacing their files.
 */
class TlsServerTest extends LocalNodesFixture {
  private Path certs;
  private TestCertificates.Authority ca;
  private TestCertificates.Issued primaryCert;

  @BeforeEach
  void certificates() {
    certs = dir.resolve("certs");
    ca = TestCertificates.authority("kevo test CA", certs, "ca");
    primaryCert = ca.issue("primary", certs, "primary");
  }

  private TlsOptions mutual(TestCertificates.Issued own) {
    return TlsOptions.server(own.certFile(), own.keyFile())
        .withClientAuth(ca.certFile(), TlsFiles.ClientAuth.REQUIRE);
  }

  private KevoServer tlsNode(String name, ServerOptions.Builder b, TlsOptions tls) {
    KevoDB db = KevoDB.open(dir.resolve(name), Options.builder().holdWalAtOpen(true).build());
    KevoServer s = KevoServer.start(db, b.tls(tls).listen("127.0.0.1", 0).build());
    open.add(s);
    return s;
  }

  private KevoServer primary() {
    return tlsNode("primary", ServerOptions.builder().role(NodeRole.PRIMARY), mutual(primaryCert));
  }

  private KevoServer replica(String name, KevoServer primary, TlsOptions tls) {
    return tlsNode(
        name,
        ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()),
        tls);
  }

  /** A channel to {@code s} with {@code creds}, closed after the test. */
  private ManagedChannel channel(KevoServer s, ChannelCredentials creds, ClientInterceptor... i) {
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress("127.0.0.1", s.port(), creds).intercept(i).build();
    open.add(
        () -> {
          ch.shutdownNow();
          ch.awaitTermination(5, TimeUnit.SECONDS);
        });
    return ch;
  }

  private ChannelCredentials clientTls(Path caFile, TestCertificates.Issued own) {
    TlsFiles files =
        own == null
            ? TlsFiles.client(caFile, null, null)
            : TlsFiles.client(caFile, own.certFile(), own.keyFile());
    open.add(files);
    return files.channelCredentials();
  }

  private static KevoServiceGrpc.KevoServiceBlockingStub stub(ManagedChannel ch) {
    return KevoServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static void put(ManagedChannel ch, String k, String v) {
    stub(ch).put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build());
  }

  private static String get(ManagedChannel ch, String k) {
    return stub(ch).get(GetRequest.newBuilder().setKey(b(k)).build()).getValue().toStringUtf8();
  }

  @Test
  void aPrimaryRequiringClientCertificatesServesClientsAndReplicasFromItsCaOverTls13() {
    KevoServer primary = primary();
    KevoServer replica = replica("r1", primary, mutual(ca.issue("r1", certs, "r1")));
    AtomicReference<SSLSession> session = new AtomicReference<>();
    ManagedChannel app =
        channel(primary, clientTls(ca.certFile(), ca.issue("app", certs, "app")), capture(session));

    put(app, "k", "v");
    assertThat(get(app, "k")).isEqualTo("v");
    assertThat(session.get().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(((X509Certificate) sessionPeer(session.get())).getSubjectX500Principal().getName())
        .isEqualTo("CN=primary");
    // The replica follows over TLS with its own certificate.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(replica.db().get("k".getBytes(StandardCharsets.UTF_8)))
                    .hasValueSatisfying(
                        v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("v")));
    assertThat(primary.primary().connectedReplicas()).isEqualTo(1);
  }

  @Test
  void
      clientsWithoutACertificateFromTheCaArePlaintextOrFromAnotherCaAreRefusedAndThePrimaryServesOn() {
    KevoServer primary = primary();
    TestCertificates.Authority other = TestCertificates.authority("another CA", certs, "other");
    ManagedChannel good = channel(primary, clientTls(ca.certFile(), ca.issue("app", certs, "app")));
    put(good, "before", "1");

    ManagedChannel noCert = channel(primary, clientTls(ca.certFile(), null));
    ManagedChannel otherCa =
        channel(primary, clientTls(ca.certFile(), other.issue("intruder", certs, "intruder")));
    ManagedChannel plaintext = channel(primary, InsecureChannelCredentials.create());
    for (ManagedChannel refused : new ManagedChannel[] {noCert, otherCa, plaintext}) {
      assertThatThrownBy(() -> put(refused, "intruder", "x"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    // A client that does not trust the primary's CA refuses the server in turn.
    ManagedChannel distrusting =
        channel(primary, clientTls(other.certFile(), ca.issue("app2", certs, "app2")));
    assertThatThrownBy(() -> get(distrusting, "before")).isInstanceOf(StatusRuntimeException.class);

    assertThat(primary.db().get("intruder".getBytes(StandardCharsets.UTF_8))).isEmpty();
    put(good, "after", "2");
    assertThat(get(good, "after")).isEqualTo("2");
  }

  @Test
  void replicasWithoutACertificateOrWithAnotherCasAreRefusedWhileAGoodOneFollows() {
    KevoServer primary = primary();
    TestCertificates.Authority other = TestCertificates.authority("another CA", certs, "other");
    TestCertificates.Issued stranger = other.issue("stranger", certs, "stranger");
    // Its own port is fine (its own CA); toward the primary it presents the other CA's certificate.
    KevoServer refused =
        replica(
            "stranger",
            primary,
            TlsOptions.server(stranger.certFile(), stranger.keyFile())
                .withReplication(ca.certFile(), stranger.certFile(), stranger.keyFile()));
    KevoServer good = replica("r1", primary, mutual(ca.issue("r1", certs, "r1")));
    // And one without any certificate: a plaintext replica.
    KevoServer plain =
        tlsNode(
            "plain",
            ServerOptions.builder().role(NodeRole.REPLICA).primaryAddress(primary.address()),
            null);
    ManagedChannel app = channel(primary, clientTls(ca.certFile(), ca.issue("app", certs, "app")));
    put(app, "k", "v");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> good.db().get("k".getBytes(StandardCharsets.UTF_8)).isPresent());
    assertThat(primary.primary().connectedReplicas()).isEqualTo(1);
    assertThat(refused.db().get("k".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(refused.replica().getCurrentState().name()).isIn("CONNECTING", "ERROR");
    assertThat(plain.db().get("k".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(plain.replica().getCurrentState().name()).isIn("CONNECTING", "ERROR");
  }

  @Test
  void aServerCertificateReplacedOnDiskIsServedToNewConnectionsWhileClientsRunWithoutARestart()
      throws Exception {
    KevoServer primary = primary();
    BigInteger first = primaryCert.certificate().getSerialNumber();
    TestCertificates.Issued app = ca.issue("app", certs, "app");
    AtomicReference<SSLSession> session = new AtomicReference<>();
    ManagedChannel before = channel(primary, clientTls(ca.certFile(), app), capture(session));
    put(before, "k", "v");
    assertThat(((X509Certificate) sessionPeer(session.get())).getSerialNumber()).isEqualTo(first);

    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  put(before, "w" + writes.get(), "x");
                  writes.incrementAndGet();
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    writer.start();
    TestCertificates.Issued rotated = ca.issue("primary", certs, "primary");
    assertThat(rotated.certFile()).isEqualTo(primaryCert.certFile());

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              AtomicReference<SSLSession> fresh = new AtomicReference<>();
              ManagedChannel ch = channel(primary, clientTls(ca.certFile(), app), capture(fresh));
              assertThat(get(ch, "k")).isEqualTo("v");
              assertThat(((X509Certificate) sessionPeer(fresh.get())).getSerialNumber())
                  .isEqualTo(rotated.certificate().getSerialNumber());
            });
    // The client that was writing through the rotation never failed, and goes on working.
    long atRotation = writes.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> writes.get() > atRotation + 10);
    stop.set(true);
    writer.join(10_000);
    assertThat(failure.get()).isNull();
    assertThat(get(before, "k")).isEqualTo("v");
  }

  private static java.security.cert.Certificate sessionPeer(SSLSession s) {
    try {
      return s.getPeerCertificates()[0];
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new AssertionError(e);
    }
  }

  /** Records the TLS session of each call's connection. */
  private static ClientInterceptor capture(AtomicReference<SSLSession> into) {
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(
          MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, io.grpc.Metadata headers) {
            super.start(
                new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                    listener) {
                  @Override
                  public void onHeaders(io.grpc.Metadata h) {
                    into.set(getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                    super.onHeaders(h);
                  }
                },
                headers);
          }
        };
      }
    };
  }
}
