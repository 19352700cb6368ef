package dev.kiln.compute.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * OpenSSH public keys as Nova handles them: checking that a key is well formed, its MD5
 * fingerprint in Nova's {@code aa:bb:...} form, and generating an RSA key pair (public key in
 * OpenSSH form, private key in PEM, as Nova's generated keys are). Also the SHA-1 fingerprint of
 * an X.509 certificate, for keypairs of type {@code x509}.
 */
public final class SshKeys {
  /** The comment Nova puts on the public keys it generates. */
  public static final String GENERATED_COMMENT = "Generated-by-Nova";

  /** The ECDSA key types and the curve and point size each must carry. */
  private static final Map<String, Integer> ECDSA_POINT_BYTES =
      Map.of("ecdsa-sha2-nistp256", 65, "ecdsa-sha2-nistp384", 97, "ecdsa-sha2-nistp521", 133);

  private SshKeys() {}

  /** A freshly generated key pair. */
  public record Generated(String publicKey, String privateKeyPem, String fingerprint) {}

  /**
   * The MD5 fingerprint of an OpenSSH public key ({@code ssh-rsa AAAA... comment}); the key must
   * be of a type OpenSSH and Nova accept (ssh-rsa, ssh-dss, ssh-ed25519, ecdsa-sha2-nistp256/384/
   * 521) and its data must be exactly what that type carries.
   *
   * @throws IllegalArgumentException when the key is not such a key
   */
  public static String fingerprint(String publicKey) {
    String[] parts = publicKey.strip().split("[ \t]+");
    if (parts.length < 2) {
      throw new IllegalArgumentException("expected '<type> <base64 data> [comment]'");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key data is not base64");
    }
    checkBlob(parts[0], blob);
    return colons(digest("MD5", blob));
  }

  /** The SHA-1 fingerprint of a PEM X.509 certificate, as Nova shows it for x509 keypairs. */
  public static String x509Fingerprint(String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("expected a PEM certificate");
    }
    try {
      var cert =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return colons(digest("SHA-1", cert.getEncoded()));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a readable X.509 certificate: " + e.getMessage());
    }
  }

  /** Generates a 2048-bit RSA key pair. */
  public static Generated generateRsa(SecureRandom random) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate RSA keys", e);
    }
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    RSAPrivateCrtKey priv = (RSAPrivateCrtKey) pair.getPrivate();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    sshString(blob, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
    sshString(blob, pub.getPublicExponent().toByteArray());
    sshString(blob, pub.getModulus().toByteArray());
    String publicKey =
        "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + GENERATED_COMMENT;
    return new Generated(publicKey, pkcs1Pem(priv), colons(digest("MD5", blob.toByteArray())));
  }

  /**
   * Generates a 2048-bit RSA key and a self-signed X.509 certificate for it (SHA-256 with RSA,
   * valid for a year from {@code now}, subject CN {@code commonName}), as Nova generates x509
   * keypairs: the certificate is the keypair's public key, with its SHA-1 fingerprint.
   */
  public static Generated generateX509(SecureRandom random, String commonName, java.time.Instant now) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate RSA keys", e);
    }
    byte[] algorithm = der(0x30, concat(new byte[] {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0B}, new byte[] {0x05, 0x00}));
    byte[] name =
        der(0x30, der(0x31, der(0x30, concat(new byte[] {0x06, 0x03, 0x55, 0x04, 0x03}, der(0x0C, commonName.getBytes(StandardCharsets.UTF_8))))));
    java.time.format.DateTimeFormatter utc =
        java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
    byte[] validity =
        der(0x30, concat(der(0x17, utc.format(now).getBytes(StandardCharsets.US_ASCII)),
            der(0x17, utc.format(now.plus(java.time.Duration.ofDays(365))).getBytes(StandardCharsets.US_ASCII))));
    byte[] serial = new BigInteger(63, random).add(BigInteger.ONE).toByteArray();
    byte[] tbs =
        der(0x30, concat(
            new byte[] {(byte) 0xA0, 0x03, 0x02, 0x01, 0x02}, der(0x02, serial), algorithm, name, validity, name,
            pair.getPublic().getEncoded()));
    byte[] signature;
    try {
      java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
      signer.initSign(pair.getPrivate(), random);
      signer.update(tbs);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot sign with RSA", e);
    }
    byte[] certificate = der(0x30, concat(tbs, algorithm, der(0x03, concat(new byte[] {0x00}, signature))));
    String pem =
        "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate)
            + "\n-----END CERTIFICATE-----\n";
    return new Generated(pem, pkcs1Pem((RSAPrivateCrtKey) pair.getPrivate()), colons(digest("SHA-1", certificate)));
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    derElement(out, tag, content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // Checking key data

  private static void checkBlob(String type, byte[] blob) {
    ByteBuffer in = ByteBuffer.wrap(blob);
    String inner = new String(string(in), StandardCharsets.US_ASCII);
    if (!inner.equals(type)) {
      throw new IllegalArgumentException("the key data is of type '" + inner + "', not '" + type + "'");
    }
    switch (type) {
      case "ssh-rsa" -> {
        BigInteger e = mpint(in);
        BigInteger n = mpint(in);
        if (e.signum() <= 0 || !e.testBit(0) || n.bitLength() < 512 || e.compareTo(n) >= 0) {
          throw new IllegalArgumentException("not a valid RSA key");
        }
      }
      case "ssh-dss" -> {
        for (int i = 0; i < 4; i++) {
          if (mpint(in).signum() <= 0) {
            throw new IllegalArgumentException("not a valid DSA key");
          }
        }
      }
      case "ssh-ed25519" -> {
        if (string(in).length != 32) {
          throw new IllegalArgumentException("an Ed25519 key has 32 bytes");
        }
      }
      default -> {
        Integer pointBytes = ECDSA_POINT_BYTES.get(type);
        if (pointBytes == null) {
          throw new IllegalArgumentException("unsupported key type '" + type + "'");
        }
        String curve = new String(string(in), StandardCharsets.US_ASCII);
        byte[] point = string(in);
        if (!type.endsWith("-" + curve) || point.length != pointBytes || point[0] != 4) {
          throw new IllegalArgumentException("not a valid " + type + " key");
        }
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("the key data has " + in.remaining() + " bytes too many");
    }
  }

  private static byte[] string(ByteBuffer in) {
    if (in.remaining() < 4) {
      throw new IllegalArgumentException("the key data is truncated");
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("the key data is truncated");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static BigInteger mpint(ByteBuffer in) {
    byte[] bytes = string(in);
    return bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
  }

  // Encoding

  private static void sshString(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  /** The private key as PKCS#1 {@code RSA PRIVATE KEY} PEM, the form Nova returns. */
  private static String pkcs1Pem(RSAPrivateCrtKey key) {
    ByteArrayOutputStream fields = new ByteArrayOutputStream();
    for (BigInteger value :
        new BigInteger[] {
          BigInteger.ZERO,
          key.getModulus(),
          key.getPublicExponent(),
          key.getPrivateExponent(),
          key.getPrimeP(),
          key.getPrimeQ(),
          key.getPrimeExponentP(),
          key.getPrimeExponentQ(),
          key.getCrtCoefficient()
        }) {
      derElement(fields, 0x02, value.toByteArray());
    }
    ByteArrayOutputStream sequence = new ByteArrayOutputStream();
    derElement(sequence, 0x30, fields.toByteArray());
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sequence.toByteArray());
    return "-----BEGIN RSA PRIVATE KEY-----\n" + base64 + "\n-----END RSA PRIVATE KEY-----\n";
  }

  private static void derElement(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    }
    out.writeBytes(content);
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  private static String colons(byte[] digest) {
    String hex = HexFormat.of().formatHex(digest);
    StringBuilder out = new StringBuilder(hex.length() * 3 / 2);
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }
}
