package io.kevo.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and certificates made by the tests themselves (EC P-256, SHA-256),
 * written as the PEM files a Kevo node and client read: a certificate chain ({@code NAME.crt}) and
 * a PKCS #8 private key ({@code NAME.key}). Leaf certificates name {@code 127.0.0.1} and {@code
 * localhost} and serve as server and client certificates alike. Not thread-safe.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final Duration VALID = Duration.ofDays(2);

  private TestCertificates() {}

  /** A certificate with its key, and where their PEM files are. */
  public record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {
    /** The subject, as a server sees it (e.g. {@code CN=replica-1}). */
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }
  }

  /** A CA that signs the certificates it {@link #issue issues}. */
  public static final class Authority {
    private final Issued self;

    private Authority(Issued self) {
      this.self = self;
    }

    /** The CA certificate's PEM file (what {@code --tls-ca} takes). */
    public Path certFile() {
      return self.certFile();
    }

    /**
     * A leaf certificate for {@code commonName} (server and client use, valid for 127.0.0.1 and
     * localhost), written to {@code dir/NAME.crt} and {@code dir/NAME.key}, replacing files there.
     */
    public Issued issue(String commonName, Path dir, String name) {
      KeyPair keys = keyPair();
      try {
        X509v3CertificateBuilder b =
            builder(new X500Name(self.subject()), "CN=" + commonName, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost")
                }));
        b.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(self.certificate()));
        X509Certificate cert = sign(b, self.keys());
        return write(dir, name, cert, keys);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot issue a test certificate", e);
      }
    }
  }

  /** A new self-signed CA named {@code commonName}, its certificate in {@code dir/NAME.crt}. */
  public static Authority authority(String commonName, Path dir, String name) {
    KeyPair keys = keyPair();
    try {
      String subject = "CN=" + commonName;
      X509v3CertificateBuilder b = builder(new X500Name(subject), subject, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return new Authority(write(dir, name, sign(b, keys), keys));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, String subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(VALID)),
        new X500Name(subject),
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC key generator", e);
    }
  }

  private static Issued write(Path dir, String name, X509Certificate cert, KeyPair keys) {
    try {
      Files.createDirectories(dir);
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      Files.writeString(certFile, pem(cert));
      Files.writeString(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      return new Issued(cert, keys, certFile, keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o instanceof JcaPKCS8Generator g ? g.generate() : o);
    }
    return out.toString();
  }
}
