package dev.kiln.image.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.image.ImageMember;
import dev.kiln.image.MemberStatus;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The image members table: which projects each shared image is shared with, and their answer. */
public final class ImageMemberStore {
  private static final String COLUMNS = "image_id, member_id, status, created_at, updated_at";

  private final Sql sql;

  public ImageMemberStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Adds a member; a second one for the same project fails on the primary key (DUPLICATE). */
  public void insert(ImageMember m) {
    sql.update(
        "INSERT INTO image_member (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
        m.imageId(), m.memberId(), m.status().apiName(), m.createdAt(), m.updatedAt());
  }

  public Optional<ImageMember> find(String imageId, String memberId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM image_member WHERE image_id = ? AND member_id = ?",
        ImageMemberStore::row, imageId, memberId);
  }

  /** The image's members, oldest first. */
  public List<ImageMember> list(String imageId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM image_member WHERE image_id = ? ORDER BY created_at, member_id",
        ImageMemberStore::row, imageId);
  }

  public long count(String imageId) {
    return sql.count("SELECT COUNT(*) FROM image_member WHERE image_id = ?", imageId);
  }

  /** Sets a member's status; false when the member is gone. */
  public boolean updateStatus(String imageId, String memberId, MemberStatus status, Instant now) {
    return sql.update(
            "UPDATE image_member SET status = ?, updated_at = ? WHERE image_id = ? AND member_id = ?",
            status.apiName(), now, imageId, memberId)
        == 1;
  }

  /** Removes a member; false when it was already gone. */
  public boolean delete(String imageId, String memberId) {
    return sql.update("DELETE FROM image_member WHERE image_id = ? AND member_id = ?", imageId, memberId) == 1;
  }

  private static ImageMember row(Sql.Row r) throws SQLException {
    return new ImageMember(
        r.getString("image_id"), r.getString("member_id"), MemberStatus.fromApiName(r.getString("status")),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
