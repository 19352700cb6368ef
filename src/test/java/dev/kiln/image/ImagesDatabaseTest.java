package dev.kiln.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.store.Database;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image service on each database Kiln runs on (one subclass each): seeding the default image
 * once, uploads that race or overflow, row-locked updates and the listing query.
 */
abstract class ImagesDatabaseTest {
  private static final int THREADS = 8;
  private static final long LIMIT = 10_000;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor ALICE = new Actor("project-a", "alice", false);
  private static final Actor BOB = new Actor("project-b", "bob", false);

  @TempDir Path dataDir;
  private Database db;
  private Images images;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    images = newImages();
  }

  private Images newImages() {
    return new Images(db, Clock.systemUTC(), IdGenerator.random(), new ImageFiles(dataDir.resolve("images")), LIMIT);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static List<Object> race(Callable<?> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return work.call();
                  } catch (ServiceException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
      List<Object> results = new ArrayList<>();
      for (Future<Object> f : futures) {
        results.add(f.get());
      }
      return results;
    }
  }

  private Image queued(Actor actor, String name) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("disk_format", "raw");
    request.put("container_format", "bare");
    return images.create(actor, request);
  }

  private List<Path> imageFiles() throws IOException {
    Path dir = dataDir.resolve("images");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  void imagesMadeWithinOneSecondListInTheOrderTheyWereMade() {
    // A clock that moves a millisecond per reading, all within one second: as a server's
    // backups, made one after another with no simulated latency.
    java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong();
    Clock ticking = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return java.time.Instant.parse("2026-01-01T00:00:00Z").plusMillis(millis.incrementAndGet());
      }
    };
    images = new Images(db, ticking, IdGenerator.random(), new ImageFiles(dataDir.resolve("images")), LIMIT);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      made.add(queued(ALICE, "backup-" + i).id());
    }

    ImageQuery oldestFirst =
        new ImageQuery(ImageQuery.VisibilityFilter.DEFAULT, List.of(), List.of(), false,
            List.of(new ImageQuery.SortKey("created_at", true)), null, 25);
    assertThat(images.list(ALICE, oldestFirst).images()).extracting(Image::id)
        .filteredOn(made::contains).containsExactlyElementsOf(made);
  }

  @Test
  void theDefaultImageIsSeededOnceEvenWhenNodesStartTogether() throws Exception {
    race(
        () -> {
          newImages().seedDefaultImage("admin-project");
          return null;
        });
    List<Image> cirros =
        images.list(ALICE, ImageQuery.all()).images().stream().filter(i -> "cirros".equals(i.name())).toList();
    assertThat(cirros).hasSize(1);
    Image image = cirros.getFirst();
    assertThat(image.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(image.visibility()).isEqualTo(Visibility.PUBLIC);
    assertThat(image.owner()).isEqualTo("admin-project");
    assertThat(image.virtualSize()).isEqualTo(CirrosImage.VIRTUAL_SIZE);
    assertThat(imageFiles()).hasSize(1);
    byte[] data = images.download(ALICE, image.id()).orElseThrow().data().readAllBytes();
    assertThat(md5(data)).isEqualTo(image.checksum());

    // A lost data file comes back on the next start; a deleted image does not.
    Files.delete(dataDir.resolve("images").resolve(image.id()));
    images.seedDefaultImage("admin-project");
    assertThat(Files.size(dataDir.resolve("images").resolve(image.id()))).isEqualTo(image.size());
    images.delete(ADMIN, image.id());
    images.seedDefaultImage("admin-project");
    assertThat(images.list(ADMIN, ImageQuery.all()).images()).isEmpty();
    assertThat(imageFiles()).isEmpty();
  }

  @Test
  void onlyOneOfRacingUploadsWins() throws Exception {
    Image image = queued(ALICE, "racy");
    byte[] data = "the one true image".getBytes();
    List<Object> results = race(() -> images.upload(ALICE, image.id(), new ByteArrayInputStream(data), data.length));
    assertThat(results.stream().filter(r -> r instanceof Image)).hasSize(1);
    assertThat(results.stream().filter(r -> r instanceof ServiceException e && e.kind() == ServiceException.Kind.CONFLICT))
        .hasSize(THREADS - 1);
    Image active = images.visible(ALICE, image.id());
    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.checksum()).isEqualTo(md5(data));
    assertThat(imageFiles()).hasSize(1);
  }

  @Test
  void anUploadOverTheLimitIsRefusedAndTheImageStaysQueued() throws Exception {
    Image image = queued(ALICE, "big");
    // Streamed without a declared length: refused once the limit is passed.
    InputStream tooMuch = new ByteArrayInputStream(new byte[(int) LIMIT + 1]);
    assertThatThrownBy(() -> images.upload(ALICE, image.id(), tooMuch, -1))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.OVER_LIMIT));
    assertThat(images.visible(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(imageFiles()).isEmpty();
    // Announced too large: refused before reading anything.
    assertThatThrownBy(() -> images.upload(ALICE, image.id(), InputStream.nullInputStream(), LIMIT + 1))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.OVER_LIMIT));
    // A client that goes away mid-upload leaves the image queued, ready for another try.
    InputStream broken =
        new FilterInputStream(new ByteArrayInputStream(new byte[100])) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("connection reset");
          }
        };
    assertThatThrownBy(() -> images.upload(ALICE, image.id(), broken, -1)).isInstanceOf(ServiceException.class);
    assertThat(images.visible(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    byte[] fits = new byte[(int) LIMIT];
    Image active = images.upload(ALICE, image.id(), new ByteArrayInputStream(fits), -1);
    assertThat(active.size()).isEqualTo(LIMIT);
    assertThat(imageFiles()).hasSize(1);
  }

  @Test
  void anImageDeletedDuringItsUploadLeavesNoData() throws Exception {
    Image image = queued(ALICE, "doomed");
    InputStream deletesMidway =
        new FilterInputStream(new ByteArrayInputStream(new byte[5000])) {
          boolean deleted;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (!deleted) {
              deleted = true;
              images.delete(ALICE, image.id());
            }
            return super.read(b, off, len);
          }
        };
    assertThatThrownBy(() -> images.upload(ALICE, image.id(), deletesMidway, -1))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(imageFiles()).isEmpty();
  }

  @Test
  void concurrentTagChangesAreAllKept() throws Exception {
    Image image = queued(ALICE, "tagged");
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    race(
        () -> {
          images.addTag(ALICE, image.id(), "tag-" + n.incrementAndGet());
          return null;
        });
    assertThat(images.visible(ALICE, image.id()).tags()).hasSize(THREADS);
  }

  @Test
  void listingSeesWhatTheActorMaySee() {
    Image mine = queued(ALICE, "mine");
    images.update(ALICE, mine.id(), List.of(new ImageChange(ImageChange.Op.ADD, "os_distro", "cirros")));
    Map<String, Object> community = new LinkedHashMap<>();
    community.put("name", "shared-with-all");
    community.put("visibility", "community");
    Image theirs = images.create(BOB, community);
    Image bobPrivate = queued(BOB, "bob-only");

    assertThat(images.list(ALICE, ImageQuery.all()).images()).extracting(Image::id).containsExactly(mine.id());
    ImageQuery communityOnly =
        new ImageQuery(ImageQuery.VisibilityFilter.COMMUNITY, List.of(), List.of(), false, List.of(), null, 25);
    assertThat(images.list(ALICE, communityOnly).images()).extracting(Image::id).containsExactly(theirs.id());
    ImageQuery byProperty =
        new ImageQuery(
            ImageQuery.VisibilityFilter.ALL,
            List.of(new ImageQuery.Condition("os_distro", ImageQuery.Operator.EQ, List.of("cirros"))),
            List.of(), false, List.of(), null, 25);
    assertThat(images.list(ADMIN, byProperty).images()).extracting(Image::id).containsExactly(mine.id());
    // As Glance: a list that names no visibility leaves others' community images out, even an admin's.
    assertThat(images.list(ADMIN, ImageQuery.all()).images()).extracting(Image::id)
        .containsExactlyInAnyOrder(mine.id(), bobPrivate.id());
    ImageQuery everything =
        new ImageQuery(ImageQuery.VisibilityFilter.ALL, List.of(), List.of(), false, List.of(), null, 25);
    assertThat(images.list(ADMIN, everything).images()).extracting(Image::id)
        .containsExactlyInAnyOrder(mine.id(), theirs.id(), bobPrivate.id());
    assertThatThrownBy(() -> images.visible(ALICE, bobPrivate.id()))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND));
  }

  @Test
  void sharingWithOneProjectAtOnceFromManyRequestsAddsOneMember() throws Exception {
    ImageMembers members = new ImageMembers(db, Clock.systemUTC());
    Image image = queued(ALICE, "shared");
    List<Object> results = race(() -> members.add(ALICE, image.id(), BOB.projectId()));
    assertThat(results).filteredOn(ImageMember.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(members.list(ALICE, image.id())).hasSize(1);
  }

  @Test
  void anImageHasAtMostTheMemberQuotaOfMembersEvenUnderRaces() throws Exception {
    ImageMembers members = new ImageMembers(db, Clock.systemUTC());
    Image image = queued(ALICE, "popular");
    for (int i = 0; i < ImageMembers.MAX_MEMBERS - THREADS / 2; i++) {
      members.add(ALICE, image.id(), "project-" + i);
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<Object> results = race(() -> members.add(ALICE, image.id(), "racer-" + next.incrementAndGet()));
    assertThat(results).filteredOn(ImageMember.class::isInstance).hasSize(THREADS / 2);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.OVER_LIMIT));
    assertThat(members.list(ALICE, image.id())).hasSize(ImageMembers.MAX_MEMBERS);
  }

  @Test
  void deletingAnImageTakesItsMembersWithIt() {
    ImageMembers members = new ImageMembers(db, Clock.systemUTC());
    Image image = queued(ALICE, "short-lived");
    members.add(ALICE, image.id(), BOB.projectId());
    images.delete(ALICE, image.id());
    assertThat(db.sql().count("SELECT COUNT(*) FROM image_member WHERE image_id = ?", image.id())).isZero();
  }
}
