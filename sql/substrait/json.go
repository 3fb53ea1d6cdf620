package substrait

import (
	"google.golang.org/protobuf/encoding/protojson"
	gproto "google.golang.org/protobuf/proto"

	splan "github.com/substrait-io/substrait-go/v8/plan"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
)

// ToJSON renders a plan as protobuf JSON (EXPLAIN (FORMAT SUBSTRAIT)),
// which FromJSON and any Substrait consumer read back.
func ToJSON(p *splan.Plan) (string, error) {
	pb, err := toProto(p)
	if err != nil {
		return "", err
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(pb)
	if err != nil {
		return "", sqlerr.Wrap(err, sqlerr.InternalError, "serializing the Substrait plan")
	}
	return string(b), nil
}

// FromJSON reads a plan written as protobuf JSON.
func FromJSON(data []byte) (*splan.Plan, error) {
	var pb proto.Plan
	if err := protojson.Unmarshal(data, &pb); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "invalid Substrait JSON")
	}
	return fromProto(&pb)
}

// ToBinary serializes a plan as protobuf bytes.
func ToBinary(p *splan.Plan) ([]byte, error) {
	pb, err := toProto(p)
	if err != nil {
		return nil, err
	}
	return gproto.Marshal(pb)
}

// toProto is p.ToProto with substrait-go's panics (it has no protobuf form
// for some types it builds, e.g. interval_compound behind a pointer: the
// result of max(interval)) turned into errors.
func toProto(p *splan.Plan) (pb *proto.Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.FeatureNotSupported, "serializing the Substrait plan: %v", r)
		}
	}()
	pb, err = p.ToProto()
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "serializing the Substrait plan")
	}
	return pb, nil
}

// FromBinary reads a plan from protobuf bytes.
func FromBinary(data []byte) (*splan.Plan, error) {
	var pb proto.Plan
	if err := gproto.Unmarshal(data, &pb); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "invalid Substrait plan")
	}
	return fromProto(&pb)
}

func fromProto(pb *proto.Plan) (p *splan.Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.InvalidParameterValue, "invalid Substrait plan: %v", r)
		}
	}()
	p, err = splan.FromProto(pb, ext.Collection())
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "invalid Substrait plan")
	}
	return p, nil
}
