/**
 * {@code docker save} archives ({@code docker-archive:FILE[:REF]}): reading both the classic layout
 * ({@code manifest.json} with {@code <id>/layer.tar}) and Docker 25's OCI-layout-in-a-tar, and
 * writing one tar that is both, so {@code docker load}, skopeo and OCI tools all read it.
 */
@NullMarked
package dev.caulk.archive;

import org.jspecify.annotations.NullMarked;
