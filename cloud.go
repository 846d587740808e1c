package partnercenter

import "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

// Cloud is a Partner Center cloud: the API's base URL, the Entra authority that issues its
// tokens and the token audience. The zero value means CloudGlobal.
type Cloud struct {
	// Name is a short name for messages: "global", "usgov" or "china".
	Name string
	// Endpoint is the API's {baseURL}, without /v1.
	Endpoint string
	// AuthorityHost is the Entra ID authority host, with a trailing slash as azidentity wants.
	AuthorityHost string
	// Audience is the token audience; the scope requested is Audience + "/.default".
	Audience string
}

// The three Partner Center clouds (learn.microsoft.com/partner-center/developer/partner-center-authentication).
var (
	CloudGlobal = Cloud{
		Name:          "global",
		Endpoint:      "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.com/",
		Audience:      "https://api.partnercenter.microsoft.com",
	}
	// CloudUSGovernment shares the global API host; only the authority differs.
	CloudUSGovernment = Cloud{
		Name:          "usgov",
		Endpoint:      "https://api.partnercenter.microsoft.com",
		AuthorityHost: "https://login.microsoftonline.us/",
		Audience:      "https://api.partnercenter.microsoft.com",
	}
	// CloudChina is Partner Center operated by 21Vianet. Its audience is inferred from
	// Microsoft's PowerShell module: no page states it.
	CloudChina = Cloud{
		Name:          "china",
		Endpoint:      "https://partner.partnercenterapi.microsoftonline.cn",
		AuthorityHost: "https://login.chinacloudapi.cn/",
		Audience:      "https://partner.partnercenterapi.microsoftonline.cn",
	}
)

// CloudByName returns the cloud named "global", "usgov" or "china".
func CloudByName(name string) (Cloud, bool) {
	for _, c := range []Cloud{CloudGlobal, CloudUSGovernment, CloudChina} {
		if c.Name == name {
			return c, true
		}
	}
	return Cloud{}, false
}

// Scope is the OAuth2 scope of App-only tokens for this cloud: the audience + "/.default".
func (c Cloud) Scope() string { return c.orDefault().Audience + "/.default" }

// AzureCloud is the azcore cloud configuration to give azidentity credentials, so that they
// ask this cloud's authority for tokens:
//
//	azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Cloud: partnercenter.CloudUSGovernment.AzureCloud()}}
func (c Cloud) AzureCloud() cloud.Configuration {
	return cloud.Configuration{ActiveDirectoryAuthorityHost: c.orDefault().AuthorityHost}
}

func (c Cloud) orDefault() Cloud {
	if c == (Cloud{}) {
		return CloudGlobal
	}
	return c
}
