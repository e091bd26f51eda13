/**
 * `@kubernaut-e2e/deployers/internal` — what only sibling packages use (setup makes a run's certificates with it).
 * Not part of the public API: it may change in any release.
 */
export {
  type CertificateAuthority,
  type CertificateAuthorityOptions,
  type CertificateRequest,
  type CertificateUsage,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type IssuedCertificate,
  type KeyAlgorithm,
  serviceDnsNames,
} from './tls/certificate-authority.js';
