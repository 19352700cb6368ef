package dev.kiln.compute.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSH key checks and fingerprints, compared with what ssh-keygen and openssl say. */
public class SshKeysTest {
  public static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMkyU+Q6vKZZdRci67gXwCFHBLic8MyBYQQz9Amch0tq me@example";
  public static final String RSA =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC72G3TcUFvwQoDt5X8IhcLI85THbaC8MifizPVSmjKslO2NUwDPK7KZDRRmPpCy6Jfbw"
          + "Pl0m1PbYr9o4xGZH/hha4W6cgdffqvVQVWDVIrxv1VizJoF8ZWU80j7+mk5jzKMRLIhxDpkAhZER2jjkCC1OWJrLNNaptKeRqfeJYLPdr"
          + "eGowsCOzX/yBIonLTVkhInIeu6zBbPIdH/1/fhtXysci0pOItG24r4Hx5/0NktLCrehUX8ehlboHdazSEp3LrsAf9rU75ePWoMyCBzWOl"
          + "ZLoEguNU8sMMG2o2WTnj17Y7AryYJgpm8DqPnctBhS+kiJ0XwfdPMh/VFAX9gNF3 rsa@example";
  public static final String ECDSA =
      "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBG+iZsyhsfXaS2TuIHYSxcGFdG/e4CdCC0t8"
          + "dte6aME6cPrXzA8XzBY4uGkeKDA2T1886whrMSEdvJ+d5mm3LfJM5nd63pci8eUDYJKwPugk8y2xyyWz4QP4lpJ6y/FoOw== ec";
  public static final String CERTIFICATE =
      """
      -----BEGIN CERTIFICATE-----
      MIIDCzCCAfOgAwIBAgIUdhv6+8hGHDV0E7TMsvrp0i/92kowDQYJKoZIhvcNAQEL
      BQAwFDESMBAGA1UEAwwJa2lsbi10ZXN0MCAXDTI2MTEyMzEyMjIyNloYDzIxMjYx
      MDMwMTIyMjI2WjAUMRIwEAYDVQQDDAlraWxuLXRlc3QwggEiMA0GCSqGSIb3DQEB
      AQUAA4IBDwAwggEKAoIBAQDdI2dXq8CVA83pYxekW+Jw+yuyGnFRSkDwGtcBEHuM
      XVA+yJK1ugJayA81c7t5n5LX3tSwn6K3h1VpEn8yuwvbeftnDJWQTAoW3NvtVGOm
      OylDvWoMS8p/5MgrNfMPDJplTqsBV+U8CNbuCGA56beHwcj1NGGi1YGpsUrm8o+X
      uKheXKBhDBzSJa9CAEUvk8Hj1XPktm+5zZ0wavURFccpl5bgpKpTHXzwX+wG+nlv
      oTXekvTEzLNQs2Sn9ODkQQJposWWhAIL/xbRWnps/ekgDosAAUNB9mIW6zXZz8nv
      /nvjfwyoQJWI7tlpFVhXSZb1KtjqMbSKCNAwH9+cgswVAgMBAAGjUzBRMB0GA1Ud
      DgQWBBS2I4dTG1nGTfJvwLFii1o5q6cSDDAfBgNVHSMEGDAWgBS2I4dTG1nGTfJv
      wLFii1o5q6cSDDAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQBD
      vkIhkn5uubBo9o9DdxcYKchqmezrWUONhR1oORTmtLA1wOTeKwHFbfHZQD1es5KC
      ANKsaFaLPqWKTbxSnkMh3r5wR4Z1hT7QOrnF0YbqCLkVuhe5DbC/a7Vaw+KxCVYt
      DTUKRWz19JWGpeqfxzqx+43z9OuTtoyB6jxe2IBrQLpo3g8XueMKP9oeNCEVdZsR
      UbD4xtzbybpyBIjMIdYh+b9ZI+q2GnPfJFgoxtcqe/0+8tEjNaSj620Z0nOQVokG
      /jFbMjwdHc6LtnuLDRpuNpAWHSXoW4SjcAjyzTXcD2vyVBtNpGMYMVTd0678yyBf
      6o+v5lNw7W91drMSQSTv
      -----END CERTIFICATE-----
      """;

  @TempDir Path dir;

  @Test
  void fingerprintsAreTheMd5OnesSshKeygenShows() {
    // ssh-keygen -l -E md5 -f <key>.pub
    assertThat(SshKeys.fingerprint(ED25519)).isEqualTo("05:62:20:8c:f2:60:55:5e:a7:bb:e4:a6:ba:c6:03:ad");
    assertThat(SshKeys.fingerprint(RSA)).isEqualTo("0e:e7:51:1d:b1:be:e4:7e:46:f1:a0:c5:54:28:55:3a");
    assertThat(SshKeys.fingerprint(ECDSA)).isEqualTo("01:9a:88:87:cf:86:39:6a:a5:50:5a:13:b4:b1:30:4a");
    // A trailing newline, as in a key file, and no comment are fine.
    assertThat(SshKeys.fingerprint(ED25519.substring(0, ED25519.lastIndexOf(' ')) + "\n"))
        .isEqualTo("05:62:20:8c:f2:60:55:5e:a7:bb:e4:a6:ba:c6:03:ad");
  }

  @Test
  void malformedKeysAreRefused() {
    String ed = ED25519.split(" ")[1];
    for (String bad :
        new String[] {
          "",
          "ssh-rsa",
          "not a key",
          "ssh-rsa !!!notbase64",
          "ssh-rsa " + ed, // the data says ssh-ed25519
          "ssh-ed25519 " + ed.substring(0, ed.length() - 8) + "AAAAAAA=", // truncated
          "ssh-foo " + Base64.getEncoder().encodeToString("\0\0\0\7ssh-foo".getBytes(StandardCharsets.US_ASCII)),
          "ssh-ed25519 " + Base64.getEncoder().encodeToString(withTrailingByte(Base64.getDecoder().decode(ed))),
        }) {
      assertThatThrownBy(() -> SshKeys.fingerprint(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void x509FingerprintIsTheSha1OneOpensslShows() {
    // openssl x509 -noout -fingerprint -sha1
    assertThat(SshKeys.x509Fingerprint(CERTIFICATE))
        .isEqualTo("8f:b0:14:ab:c7:c6:29:36:24:50:2c:83:13:a7:dd:f1:bf:09:f9:09");
    assertThatThrownBy(() -> SshKeys.x509Fingerprint(RSA)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatedX509CertificatesAreSelfSignedForTheirKeyAndDecodeAsTheJdkReadsThem() throws Exception {
    java.time.Instant now = java.time.Instant.parse("2026-12-01T10:00:00Z");
    SshKeys.Generated cert = SshKeys.generateX509(new SecureRandom(), "project-user-1", now);
    assertThat(cert.publicKey()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(cert.privateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    java.security.cert.X509Certificate parsed =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(cert.publicKey().getBytes(StandardCharsets.US_ASCII)));
    parsed.verify(parsed.getPublicKey()); // self-signed: its own key checks its signature
    assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo("CN=project-user-1");
    assertThat(parsed.getNotBefore().toInstant()).isEqualTo(now);
    assertThat(parsed.getNotAfter().toInstant()).isEqualTo(now.plus(java.time.Duration.ofDays(365)));
    assertThat(cert.fingerprint()).isEqualTo(SshKeys.x509Fingerprint(cert.publicKey()));
  }

  @Test
  void generatedKeysAreAnRsaPairInOpenSshAndPkcs1Pem() throws Exception {
    SshKeys.Generated key = SshKeys.generateRsa(new SecureRandom());
    assertThat(key.publicKey()).startsWith("ssh-rsa AAAAB3NzaC1yc2E").endsWith(" Generated-by-Nova");
    assertThat(SshKeys.fingerprint(key.publicKey())).isEqualTo(key.fingerprint());
    assertThat(key.privateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----\n");

    // The PEM holds the private half of the public key: read it back through PKCS#8.
    String base64 = key.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    RSAPrivateCrtKey priv =
        (RSAPrivateCrtKey)
            KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(Base64.getDecoder().decode(base64))));
    ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(key.publicKey().split(" ")[1]));
    next(blob); // "ssh-rsa"
    BigInteger e = new BigInteger(next(blob));
    BigInteger n = new BigInteger(next(blob));
    assertThat(priv.getModulus()).isEqualTo(n);
    assertThat(priv.getPublicExponent()).isEqualTo(e);
    assertThat(n.bitLength()).isEqualTo(2048);

    // And ssh-keygen, where installed, agrees.
    Path keygen = Path.of("/usr/bin/ssh-keygen");
    Assumptions.assumeTrue(Files.isExecutable(keygen), "ssh-keygen is not installed");
    Path file = dir.resolve("id_rsa");
    Files.writeString(file, key.privateKeyPem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Process p = new ProcessBuilder(keygen.toString(), "-y", "-f", file.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(derived.split(" ")[1]).isEqualTo(key.publicKey().split(" ")[1]);
  }

  private static byte[] withTrailingByte(byte[] blob) {
    byte[] out = new byte[blob.length + 1];
    System.arraycopy(blob, 0, out, 0, blob.length);
    return out;
  }

  private static byte[] next(ByteBuffer in) {
    byte[] out = new byte[in.getInt()];
    in.get(out);
    return out;
  }

  /** Wraps a PKCS#1 RSA key in PKCS#8's PrivateKeyInfo, which the JDK reads. */
  private static byte[] pkcs8(byte[] pkcs1) {
    byte[] algorithm = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(der(0x04, pkcs1));
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
