using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LabNet.Simulator.Guest.Commands;

/// <summary><c>openssl x509 -in FILE -noout -text|-subject|-issuer|-enddate|-ext subjectAltName</c> over real PEM files.</summary>
public sealed class OpensslCommand : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["openssl"];

    public Task<int> RunAsync(CommandCall call)
    {
        var args = call.Args;
        if (args.Count == 0 || args[0] != "x509")
        {
            return Task.FromResult(call.Fail($"Invalid command '{args.FirstOrDefault()}'; the LabNet guest's openssl runs x509 only", 1));
        }

        string? file = null;
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "-in" && i + 1 < args.Count)
            {
                file = args[++i];
            }
        }

        string? pem;
        lock (call.Guest.Sync)
        {
            pem = file is null ? call.Stdin : call.Guest.ReadFile(call.PathOf(file));
        }

        if (pem is null)
        {
            return Task.FromResult(call.Fail($"Could not open file or uri for loading certificate from {file}\n40D7B2A5FFFF0000:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n40D7B2A5FFFF0000:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat({file})\nUnable to load certificate", 1));
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return Task.FromResult(call.Fail("Could not find certificate from <stdin>\nUnable to load certificate", 1));
        }

        using (certificate)
        {
            var text = args.Contains("-text");
            if (text)
            {
                call.Out.Write(Text(certificate));
            }

            if (args.Contains("-subject"))
            {
                call.Out.WriteLine("subject=" + Name(certificate.SubjectName));
            }

            if (args.Contains("-issuer"))
            {
                call.Out.WriteLine("issuer=" + Name(certificate.IssuerName));
            }

            if (args.Contains("-enddate"))
            {
                call.Out.WriteLine("notAfter=" + Date(certificate.NotAfter));
            }

            if (!args.Contains("-noout") && !text)
            {
                call.Out.Write(pem);
            }
        }

        return Task.FromResult(0);
    }

    private static string Name(X500DistinguishedName name) => string.Join(", ", name.Name.Split(", ").Reverse().Select(p => p.Replace("=", " = ")));

    private static string Date(DateTime time)
    {
        var utc = time.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture, $"{utc:MMM} {utc.Day,2} {utc:HH:mm:ss yyyy} GMT");
    }

    private static string Text(X509Certificate2 certificate)
    {
        var sb = new StringBuilder();
        sb.Append("Certificate:\n    Data:\n        Version: 3 (0x2)\n");
        sb.Append("        Serial Number: ").Append(string.Join(':', Convert.FromHexString(certificate.SerialNumber).Select(b => b.ToString("x2")))).Append('\n');
        sb.Append("        Signature Algorithm: ecdsa-with-SHA256\n");
        sb.Append("        Issuer: ").Append(Name(certificate.IssuerName)).Append('\n');
        sb.Append("        Validity\n");
        sb.Append("            Not Before: ").Append(Date(certificate.NotBefore)).Append('\n');
        sb.Append("            Not After : ").Append(Date(certificate.NotAfter)).Append('\n');
        sb.Append("        Subject: ").Append(Name(certificate.SubjectName)).Append('\n');
        sb.Append("        Subject Public Key Info:\n            Public Key Algorithm: id-ecPublicKey\n                Public-Key: (256 bit)\n                ASN1 OID: prime256v1\n                NIST CURVE: P-256\n");
        sb.Append("        X509v3 extensions:\n");
        foreach (var extension in certificate.Extensions)
        {
            switch (extension)
            {
                case X509KeyUsageExtension usage:
                    sb.Append("            X509v3 Key Usage: critical\n                ").Append(KeyUsage(usage.KeyUsages)).Append('\n');
                    break;
                case X509EnhancedKeyUsageExtension enhanced:
                    sb.Append("            X509v3 Extended Key Usage: \n                ")
                        .Append(string.Join(", ", enhanced.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value == "1.3.6.1.5.5.7.3.1" ? "TLS Web Server Authentication" : "TLS Web Client Authentication")))
                        .Append('\n');
                    break;
                case X509BasicConstraintsExtension basic:
                    sb.Append("            X509v3 Basic Constraints: critical\n                CA:").Append(basic.CertificateAuthority ? "TRUE" : "FALSE").Append('\n');
                    break;
                case X509SubjectAlternativeNameExtension san:
                    var names = san.EnumerateDnsNames().Select(d => "DNS:" + d).Concat(san.EnumerateIPAddresses().Select(ip => "IP Address:" + ip));
                    sb.Append("            X509v3 Subject Alternative Name: \n                ").Append(string.Join(", ", names)).Append('\n');
                    break;
            }
        }

        sb.Append("    Signature Algorithm: ecdsa-with-SHA256\n");
        return sb.ToString();
    }

    private static string KeyUsage(X509KeyUsageFlags flags)
    {
        var names = new List<string>();
        if (flags.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            names.Add("Digital Signature");
        }

        if (flags.HasFlag(X509KeyUsageFlags.KeyEncipherment))
        {
            names.Add("Key Encipherment");
        }

        if (flags.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            names.Add("Certificate Sign");
        }

        return string.Join(", ", names);
    }
}
