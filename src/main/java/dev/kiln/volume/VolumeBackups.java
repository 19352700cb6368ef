package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

/** Block Storage's backup service: backups, their restores, and their exported records. */
public record VolumeBackups(Backups backups, BackupRestores restores, BackupRecords records) {
  public VolumeBackups {
    requireNonNull(backups, "backups is null");
    requireNonNull(restores, "restores is null");
    requireNonNull(records, "records is null");
  }
}
