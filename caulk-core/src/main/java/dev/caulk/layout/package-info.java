/**
 * OCI image layout directories ({@code oci:DIR[:TAG]}, image-layout.md): reading tagged images and
 * indexes with every blob verified, and writing them with content-addressed blobs and an atomically
 * replaced {@code index.json}.
 */
@NullMarked
package dev.caulk.layout;

import org.jspecify.annotations.NullMarked;
