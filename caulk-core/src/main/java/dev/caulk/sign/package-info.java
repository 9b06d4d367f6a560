/**
 * Signatures and attestations in the formats cosign and skopeo read and write: password-encrypted
 * ECDSA P-256 keys ({@link dev.caulk.sign.SigningKeys}), the simple-signing payload and its
 * signature image under {@code sha256-<hex>.sig} ({@link dev.caulk.sign.SimpleSigning}, {@link
 * dev.caulk.sign.SignatureImages}), in-toto statements in DSSE envelopes under {@code
 * sha256-<hex>.att} ({@link dev.caulk.sign.Dsse}, {@link dev.caulk.sign.Statement}), verification
 * ({@link dev.caulk.sign.Verification}) and storage through any location ({@link
 * dev.caulk.sign.Attachments}). See docs/sign.md.
 */
package dev.caulk.sign;
