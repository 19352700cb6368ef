package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object Storage on each database Kiln runs on (one subclass each): bytes in files on the embedded
 * store and in chunk rows on PostgreSQL, exact container totals under racing writes, listings, and
 * the temp URL facade Heat uses.
 */
abstract class ObjectStoreDatabaseTest {
  private static final String ACCOUNT = Account.of("p1");

  @TempDir Path dataDir;
  private Database db;
  private MutableClock clock;
  private ObjectStoreService service;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    clock = MutableClock.startingNow();
    service = ObjectStoreService.create(db, clock, IdGenerator.random(), new SecureRandom(), dataDir, () -> "http://kiln.test:5000");
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private StoredObject put(String container, String name, byte[] data) {
    return service.objects().put(ACCOUNT, container, name,
        new StoredObjects.PutSpec(data.length, null, null, Metadata.EMPTY, false), new ByteArrayInputStream(data));
  }

  private byte[] read(String container, String name, long offset, long length) throws IOException {
    try (InputStream in = service.objects().read(ACCOUNT, container, name, o -> new StoredObjects.Slice(offset, length)).data()) {
      return in.readAllBytes();
    }
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  void objectLargerThanAChunkRoundTripsWithItsMd5AndAnyRange() throws Exception {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    byte[] data = new byte[2 * 1024 * 1024 + 12_345];
    new Random(7).nextBytes(data);
    StoredObject stored = put("c", "big.bin", data);
    assertThat(stored.etag()).isEqualTo(md5(data));
    assertThat(stored.contentType()).isEqualTo("application/octet-stream");
    assertThat(read("c", "big.bin", 0, data.length)).isEqualTo(data);
    long from = 1024 * 1024 - 5;
    assertThat(read("c", "big.bin", from, 1_000_000))
        .isEqualTo(java.util.Arrays.copyOfRange(data, (int) from, (int) from + 1_000_000));
    Container c = service.containers().show(ACCOUNT, "c");
    assertThat(c.objectCount()).isEqualTo(1);
    assertThat(c.bytesUsed()).isEqualTo(data.length);
  }

  @Test
  void emptyObjectIsStoredAndRead() throws Exception {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    StoredObject stored = put("c", "empty", new byte[0]);
    assertThat(stored.etag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(read("c", "empty", 0, 0)).isEmpty();
  }

  @Test
  void overwriteReplacesBytesAndTotalsAndRemovesTheOldBlob() throws Exception {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    StoredObject first = put("c", "o", "first version".getBytes(StandardCharsets.UTF_8));
    StoredObject second = put("c", "o", "2nd".getBytes(StandardCharsets.UTF_8));
    assertThat(second.timestampMicros()).isGreaterThan(first.timestampMicros());
    assertThat(read("c", "o", 0, 3)).isEqualTo("2nd".getBytes(StandardCharsets.UTF_8));
    assertThat(service.containers().show(ACCOUNT, "c").bytesUsed()).isEqualTo(3);
    assertThat(blobExists(first.blobId())).isFalse();
  }

  private boolean blobExists(String blobId) {
    return db.sql().count("SELECT COUNT(*) FROM objectstore_chunk WHERE blob_id = ?", blobId) > 0
        || java.nio.file.Files.exists(dataDir.resolve("objects").resolve(blobId.substring(0, 2)).resolve(blobId));
  }

  @Test
  void wrongEtagStoresNothing() {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> service.objects().put(ACCOUNT, "c", "o",
            new StoredObjects.PutSpec(3, "0123456789abcdef0123456789abcdef", null, Metadata.EMPTY, false),
            new ByteArrayInputStream(data)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.UNPROCESSABLE));
    assertThat(service.containers().show(ACCOUNT, "c").objectCount()).isZero();
    assertThat(db.sql().count("SELECT COUNT(*) FROM objectstore_chunk")).isZero();
  }

  @Test
  void racingPutsAndDeletesKeepContainerTotalsExact() throws Exception {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Object>> work = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String name = "o" + (i % 10);
        byte[] data = new byte[i + 1];
        work.add(() -> put("c", name, data));
        if (i % 3 == 0) {
          work.add(() -> {
            try {
              service.objects().delete(ACCOUNT, "c", name);
            } catch (Refusal e) {
              assertThat(e.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
            }
            return null;
          });
        }
      }
      for (Future<Object> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long count = db.sql().count("SELECT COUNT(*) FROM objectstore_object WHERE account = ?", ACCOUNT);
    long bytes = db.sql().count("SELECT COALESCE(SUM(size_bytes), 0) FROM objectstore_object WHERE account = ?", ACCOUNT);
    Container c = service.containers().show(ACCOUNT, "c");
    assertThat(c.objectCount()).isEqualTo(count);
    assertThat(c.bytesUsed()).isEqualTo(bytes);
  }

  @Test
  void deletingAContainerWithObjectsIsAConflictAndAnEmptyOneGoes() {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    put("c", "o", new byte[] {1});
    assertThatThrownBy(() -> service.containers().delete(ACCOUNT, "c"))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.CONFLICT));
    service.objects().delete(ACCOUNT, "c", "o");
    service.containers().delete(ACCOUNT, "c");
    assertThatThrownBy(() -> service.containers().show(ACCOUNT, "c")).isInstanceOf(Refusal.class);
  }

  @Test
  void listingRollsUpByDelimiterAndPagesWithMarkers() {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    for (String n : List.of("a", "b/1", "b/2", "b/3/x", "c", "d/1", "e")) {
      put("c", n, new byte[0]);
    }
    assertThat(names(new ListingQuery("", "/", null, null, 10_000, false))).containsExactly("a", "b/", "c", "d/", "e");
    assertThat(names(new ListingQuery("", "/", null, null, 2, false))).containsExactly("a", "b/");
    assertThat(names(new ListingQuery("", "/", "b/", null, 2, false))).containsExactly("c", "d/");
    assertThat(names(new ListingQuery("b/", "/", null, null, 10_000, false))).containsExactly("b/1", "b/2", "b/3/");
    assertThat(names(new ListingQuery("", "/", null, null, 10_000, true))).containsExactly("e", "d/", "c", "b/", "a");
    assertThat(names(new ListingQuery("", null, "b/2", "d/1", 10_000, false))).containsExactly("b/3/x", "c");
    assertThat(names(new ListingQuery("", null, "d/1", "b/2", 10_000, true))).containsExactly("c", "b/3/x");
    assertThat(names(new ListingQuery("b%_", null, null, null, 10_000, false))).isEmpty();
  }

  private List<String> names(ListingQuery q) {
    return service.containers().listObjects(ACCOUNT, "c", q).stream().map(ListingEntry::name).toList();
  }

  @Test
  void listingIsInByteOrder() {
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    for (String n : List.of("b", "B", "a", "é", "_", "Z")) {
      put("c", n, new byte[0]);
    }
    assertThat(names(ListingQuery.all())).containsExactly("B", "Z", "_", "a", "b", "é");
  }

  @Test
  void tempUrlFacadeSetsAKeyOnceAndSignsForOneMethodUntilItExpires() {
    String url = service.tempUrl("p1", "deploy", "metadata.json", "GET", clock.instant().plus(Duration.ofMinutes(5)));
    URI uri = URI.create(url);
    assertThat(uri.getRawPath()).isEqualTo("/object-store/v1/AUTH_p1/deploy/metadata.json");
    assertThat(url).startsWith("http://kiln.test:5000/object-store/v1/AUTH_p1/deploy/metadata.json?temp_url_sig=");
    Map<String, String> q = query(uri);
    String key = service.accounts().show(ACCOUNT).metadata().get("Temp-URL-Key");
    assertThat(key).isNotBlank();
    TempUrls.Params params = new TempUrls.Params(q.get("temp_url_sig"), q.get("temp_url_expires"), null);
    assertThat(service.tempUrls().allows("GET", ACCOUNT, "deploy", "metadata.json", params)).isTrue();
    assertThat(service.tempUrls().allows("HEAD", ACCOUNT, "deploy", "metadata.json", params)).isTrue();
    assertThat(service.tempUrls().allows("PUT", ACCOUNT, "deploy", "metadata.json", params)).isFalse();
    assertThat(service.tempUrls().allows("GET", ACCOUNT, "deploy", "other.json", params)).isFalse();
    assertThat(service.tempUrls().allows("GET", Account.of("p2"), "deploy", "metadata.json", params)).isFalse();

    service.tempUrl("p1", "deploy", "signal", "PUT", clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(service.accounts().show(ACCOUNT).metadata().get("Temp-URL-Key")).isEqualTo(key);

    clock.advance(Duration.ofMinutes(6));
    assertThat(service.tempUrls().allows("GET", ACCOUNT, "deploy", "metadata.json", params)).isFalse();
  }

  @Test
  void facadeStoresReadsAndCleansUpSmallObjects() {
    assertThat(service.ensureContainer("p1", "heat")).isTrue();
    assertThat(service.ensureContainer("p1", "heat")).isFalse();
    service.putObject("p1", "heat", "a/b c", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(service.readObject("p1", "heat", "a/b c")).hasValue("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(service.readObject("p1", "heat", "missing")).isEmpty();
    assertThat(service.deleteContainerAndObjects("p1", "heat")).isTrue();
    assertThat(service.deleteContainerAndObjects("p1", "heat")).isFalse();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void namesOverSwiftsLimitsAreRefused() {
    assertThatThrownBy(() -> service.containers().create(ACCOUNT, "x".repeat(257), Metadata.Update.NONE))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.BAD_REQUEST));
    service.containers().create(ACCOUNT, "é".repeat(128), Metadata.Update.NONE);
    assertThatThrownBy(() -> service.containers().create(ACCOUNT, "é".repeat(129), Metadata.Update.NONE))
        .isInstanceOf(Refusal.class);
    service.containers().create(ACCOUNT, "c", Metadata.Update.NONE);
    assertThatThrownBy(() -> put("c", "o".repeat(1025), new byte[0]))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.BAD_REQUEST));
    assertThat(put("c", "o".repeat(1024), new byte[0]).name()).hasSize(1024);
    assertThat(Set.of(service.containers().show(ACCOUNT, "c").objectCount())).containsExactly(1L);
  }
}
