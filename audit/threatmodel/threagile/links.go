package threagile

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

// readLinks turns the communication links nested under each technical asset
// into flows, in document order.
func (b *builder) readLinks() error {
	type pending struct {
		flow     model.Flow
		raw      rawLink
		ref      string
		received bool
	}
	var all []pending
	for _, src := range b.order {
		links, err := sub(src.entry, &src.raw.CommunicationLinks)
		if err != nil {
			return err
		}
		for _, le := range links {
			var l rawLink
			if err := decode(le, secAssets+"."+src.entry.title+".communication_links", &l); err != nil {
				return err
			}
			ref := fmt.Sprintf("%s:%d:%s.%s.communication_links.%s", le.file, le.key.Line, secAssets, src.entry.title, le.title)
			dst, ok := b.assets[strings.TrimSpace(l.Target)]
			if !ok {
				b.warn(ref, "link target %q is not a technical asset; the link was not imported", l.Target)
				continue
			}
			id := linkID(src.raw.ID, le.title)
			if _, dup := b.flows[id]; dup {
				b.warn(ref, "link id %q is used twice; the second link was not imported", id)
				continue
			}
			b.flows[id] = ""
			all = append(all, pending{flow: b.newFlow(src, dst, le.title, l, ref), raw: l, ref: ref})
		}
	}
	// Flow ids are claimed after every component, as documented.
	for _, p := range all {
		f := p.flow
		f.ID = b.claim(f.ID, "link:")
		b.flows[p.flow.ID] = f.ID
		b.m.Flows = append(b.m.Flows, f)
	}
	for i := range b.m.Flows {
		b.pendingData = append(b.pendingData, flowData{i, all[i].raw, all[i].ref})
	}
	return nil
}

// flowData remembers which data asset ids a flow names until data assets
// have model ids.
type flowData struct {
	flow int
	raw  rawLink
	ref  string
}

func (b *builder) newFlow(src, dst *asset, title string, l rawLink, ref string) model.Flow {
	f := model.Flow{
		ID:          linkID(src.raw.ID, title),
		Name:        title,
		Source:      b.m.Components[src.comp].ID,
		Target:      b.m.Components[dst.comp].ID,
		Protocol:    strings.TrimSpace(l.Protocol),
		Description: strings.TrimSpace(l.Description),
		Tags:        cleanTags(l.Tags),
		Ref:         ref,
		Props:       map[string]string{},
	}
	enc, known := protocolEncrypted(l.Protocol)
	if !known {
		b.warn(ref, "protocol %q is not one Threagile defines; encryption left unknown", l.Protocol)
	}
	f.Encrypted = enc
	if f.Authenticated, known = stated(l.Authentication, authentications); !known {
		b.warn(ref, "authentication %q is not one Threagile defines; authentication left unknown", l.Authentication)
	}
	if src.internet || dst.internet {
		f.PublicNetwork = model.True
	}
	if h := src.raw.UsedAsClientByHuman; h != nil {
		f.Interactive = model.TriOf(*h)
	}
	f.Bidirectional = len(nonEmpty(l.DataAssetsReceived)) > 0
	if strings.EqualFold(strings.TrimSpace(l.Usage), "devops") {
		f.Tags = appendUnique(f.Tags, "devops")
	}
	for _, t := range []struct {
		v   *bool
		tag string
	}{{l.VPN, "vpn"}, {l.IPFiltered, "ip-filtered"}, {l.Readonly, "readonly"}} {
		if t.v != nil && *t.v {
			f.Tags = appendUnique(f.Tags, t.tag)
		}
	}
	strProp(f.Props, "authentication", l.Authentication)
	strProp(f.Props, "authorization", l.Authorization)
	strProp(f.Props, "usage", l.Usage)
	boolProp(f.Props, "vpn", l.VPN)
	boolProp(f.Props, "ip_filtered", l.IPFiltered)
	boolProp(f.Props, "readonly", l.Readonly)
	strProp(f.Props, "data_assets_sent", strings.Join(nonEmpty(l.DataAssetsSent), ","))
	strProp(f.Props, "data_assets_received", strings.Join(nonEmpty(l.DataAssetsReceived), ","))
	return f
}

// resolveFlowData fills Flow.Data (sent, then received) once data assets
// have model ids.
func (b *builder) resolveFlowData() {
	for _, p := range b.pendingData {
		ids := append(append([]string(nil), p.raw.DataAssetsSent...), p.raw.DataAssetsReceived...)
		b.m.Flows[p.flow].Data = b.dataRefs(ids, p.ref)
	}
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
