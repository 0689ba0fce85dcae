package io.kevo.wire;

import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * The key and trust managers behind {@link TlsFiles}: each delegates to the JDK's own manager built
 * from the PEM files as last read, and {@link #reload()} swaps in a new one when a file changed (a
 * file that does not load keeps the previous one: a half-written rotation is retried on the next
 * look). Thread-safe: the delegates are volatile and replaced whole.
 */
final class ReloadingKeys {
  private ReloadingKeys() {}

  /** Something that re-reads its files when they changed. */
  interface Reloadable {
    /**
     * Re-reads the files if one changed since the last read.
     *
     * @throws GeneralSecurityException or IOException if they changed and do not load (the previous
     *     material stays in use)
     */
    void reload() throws IOException, GeneralSecurityException;
  }

  private static long modified(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p);
  }

  /** The party's own certificate chain and key, from two PEM files. */
  static final class Keys extends X509ExtendedKeyManager implements Reloadable {
    private static final char[] NO_PASSWORD = new char[0];
    private static final String ALIAS = "kevo";

    private final Path cert;
    private final Path key;
    private volatile X509ExtendedKeyManager delegate;
    private volatile long stamp;

    Keys(Path cert, Path key) throws IOException, GeneralSecurityException {
      this.cert = cert;
      this.key = key;
      this.stamp = stampNow();
      this.delegate = load();
    }

    private long stampNow() throws IOException {
      return modified(cert) * 31 + modified(key);
    }

    private X509ExtendedKeyManager load() throws IOException, GeneralSecurityException {
      X509Certificate[] chain;
      PrivateKey pk;
      try (InputStream in = Files.newInputStream(cert)) {
        chain = CertificateUtils.getX509Certificates(in);
      }
      try (InputStream in = Files.newInputStream(key)) {
        pk = CertificateUtils.getPrivateKey(in);
      }
      if (chain.length == 0) {
        throw new CertificateException("no certificate in " + cert);
      }
      checkPair(chain[0], pk);
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setKeyEntry(ALIAS, pk, NO_PASSWORD, chain);
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, NO_PASSWORD);
      return (X509ExtendedKeyManager)
          Arrays.stream(f.getKeyManagers())
              .filter(m -> m instanceof X509KeyManager)
              .findFirst()
              .orElseThrow(() -> new GeneralSecurityException("no X.509 key manager"));
    }

    /**
     * Fails unless {@code key} is the private half of {@code leaf}'s public key: during a rotation
     * one file may be new and the other still old.
     */
    private void checkPair(X509Certificate leaf, PrivateKey pk) throws GeneralSecurityException {
      String algorithm =
          switch (pk.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> pk.getAlgorithm(); // Ed25519, Ed448 sign by their own name
          };
      byte[] probe = "kevo key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(pk);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(leaf.getPublicKey());
      verify.update(probe);
      if (!verify.verify(signature)) {
        throw new GeneralSecurityException(
            "the private key " + key + " does not belong to the certificate " + cert);
      }
    }

    @Override
    public void reload() throws IOException, GeneralSecurityException {
      long now = stampNow();
      if (now != stamp) {
        delegate = load();
        stamp = now;
      }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return delegate.chooseEngineClientAlias(keyType, issuers, e);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine e) {
      return delegate.chooseEngineServerAlias(keyType, issuers, e);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }

  /** The CAs a party trusts, from one PEM bundle; the JDK's PKIX checks (host names included). */
  static final class Trust extends X509ExtendedTrustManager implements Reloadable {
    private final Path ca;
    private volatile X509ExtendedTrustManager delegate;
    private volatile long stamp;

    Trust(Path ca) throws IOException, GeneralSecurityException {
      this.ca = ca;
      this.stamp = modified(ca);
      this.delegate = load();
    }

    private X509ExtendedTrustManager load() throws IOException, GeneralSecurityException {
      X509Certificate[] cas;
      try (InputStream in = Files.newInputStream(ca)) {
        cas = CertificateUtils.getX509Certificates(in);
      }
      if (cas.length == 0) {
        throw new CertificateException("no CA certificate in " + ca);
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < cas.length; i++) {
        ks.setCertificateEntry("ca-" + i, cas[i]);
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(ks);
      for (TrustManager m : f.getTrustManagers()) {
        if (m instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public void reload() throws IOException, GeneralSecurityException {
      long now = modified(ca);
      if (now != stamp) {
        delegate = load();
        stamp = now;
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
