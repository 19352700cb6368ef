package dev.kiln.volume;

import java.time.Instant;

/**
 * A volume type's encryption, as Cinder keeps it: the encryptor {@code provider}, its {@code
 * cipher} and {@code key_size} (both optional) and where it runs ({@code front-end} or {@code
 * back-end}).
 */
public record VolumeTypeEncryption(
    String volumeTypeId,
    String encryptionId,
    String provider,
    String cipher,
    Integer keySize,
    String controlLocation,
    Instant createdAt,
    Instant updatedAt) {}
