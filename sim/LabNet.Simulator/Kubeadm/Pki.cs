using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LabNet.Simulator.Kubeadm;

/// <summary>A certificate and its key, PEM-encoded, as kubeadm writes them to /etc/kubernetes/pki.</summary>
public sealed record CertificatePair(string CertificatePem, string KeyPem);

/// <summary>
/// Real X.509 certificates for the guests' /etc/kubernetes/pki, so that <c>openssl x509 -text</c> shows real SANs and
/// the join command's CA hash is the real SHA-256 of the CA's public key. ECDSA P-256 keeps generation fast (kubeadm
/// itself uses RSA 2048 by default).
/// </summary>
public static class Pki
{
    public static CertificatePair CreateAuthority(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return new CertificatePair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Issues a leaf certificate signed by the authority.</summary>
    public static CertificatePair Issue(
        CertificatePair authority,
        string subject,
        IEnumerable<string> dnsNames,
        IEnumerable<string> ipAddresses,
        bool serverAuth,
        bool clientAuth,
        DateTimeOffset now)
    {
        using var caCertificate = X509Certificate2.CreateFromPem(authority.CertificatePem, authority.KeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection();
        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (clientAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var sans = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var dns in dnsNames)
        {
            sans.AddDnsName(dns);
            any = true;
        }

        foreach (var ip in ipAddresses)
        {
            sans.AddIpAddress(IPAddress.Parse(ip));
            any = true;
        }

        if (any)
        {
            request.CertificateExtensions.Add(sans.Build());
        }

        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signer = caCertificate.GetECDsaPrivateKey()!;
        using var certificate = request.Create(caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), now.AddMinutes(-5), now.AddYears(1), serial);
        return new CertificatePair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>kubeadm's discovery hash: <c>sha256:</c> + hex SHA-256 of the CA's SubjectPublicKeyInfo.</summary>
    public static string CaHash(string caCertificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(caCertificatePem);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The IP SANs of a PEM certificate.</summary>
    public static IReadOnlyList<string> IpAddresses(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null ? [] : extension.EnumerateIPAddresses().Select(a => a.ToString()).ToList();
    }
}
