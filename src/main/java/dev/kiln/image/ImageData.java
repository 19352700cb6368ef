package dev.kiln.image;

import java.io.InputStream;

/**
 * An image's data, open for reading. The caller closes {@code data}.
 *
 * @param length the number of bytes {@code data} will give
 */
public record ImageData(Image image, long length, InputStream data) {}
