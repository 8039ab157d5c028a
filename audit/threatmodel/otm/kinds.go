package otm

import (
	"strings"
	"unicode"

	"github.com/auditpack/auditpack/audit/model"
)

// OTM component types are free text (IriusRisk library ids such as
// "CD-MICROSOFT-AZURE-DB-POSTGRESQL", StartLeft's "generic-client", or
// anything a user writes). The kind is read from the words of the type:
// storage words make a data store, client or actor words an external
// entity, anything else a process. The native type is kept in Component.Type.
var (
	storeWords = words("database db datastore store storage bucket s3 rds aurora sql nosql " +
		"postgres postgresql mysql mariadb mssql oracle mongo mongodb redis memcached cache elasticache " +
		"dynamodb cosmosdb cassandra elasticsearch opensearch queue sqs kafka blob file filesystem efs ebs " +
		"vault keyvault secretsmanager warehouse lake")
	externalWords = words("client user users browser actor human person customer external thirdparty partner internet")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func kindOf(typ string) string {
	tokens := strings.FieldsFunc(strings.ToLower(typ), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, t := range tokens {
		if storeWords[t] || strings.HasSuffix(t, "db") || strings.HasSuffix(t, "sql") {
			return model.KindDatastore
		}
	}
	for _, t := range tokens {
		if externalWords[t] {
			return model.KindExternalEntity
		}
	}
	return model.KindProcess
}
