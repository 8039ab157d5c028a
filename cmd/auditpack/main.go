package main

import (
	_ "github.com/go-pdf/fpdf"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
	_ "github.com/urfave/cli/v2"
	_ "github.com/xuri/excelize/v2"
	_ "go.yaml.in/yaml/v3"
	_ "software.sslmate.com/src/go-pkcs12"
)

func main() {}
