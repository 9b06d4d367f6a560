package dev.caulk.fs;

import dev.caulk.tar.EntryType;

/**
 * An entry a layer ships that no container sees, because a later entry replaced it or a whiteout
 * deleted it: its bytes still travel with the image (and can be extracted by anyone who pulls it).
 *
 * @param path absolute path of the entry
 * @param type what it was
 * @param size content bytes it ships (0 for anything but a regular file)
 * @param layerIndex the layer that wrote it
 * @param hiddenBy the layer whose entry or whiteout hid it (equal to {@code layerIndex} when the
 *     same layer wrote the path twice)
 */
public record HiddenFile(String path, EntryType type, long size, int layerIndex, int hiddenBy) {}
