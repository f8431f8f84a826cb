"""Serializers of API v1: read-only views of domain objects."""
from rest_framework import serializers

from motcua.catalogue.models import Component, Fee, ProcedureVersion, Step


class AgencyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProcedureListSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    field = serializers.CharField(source="field.name")
    field_code = serializers.CharField(source="field.code")
    levels = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = [
            "code", "name", "field", "field_code", "levels", "online_level", "legal_limit", "committed_limit",
            "limit_unit", "number", "url",
        ]

    def get_url(self, obj) -> str:
        return f"/thu-tuc/{obj.procedure.code}/"


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["name", "required", "originals", "certified_copies", "photocopies", "note"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "collected"]


class StepSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["name", "kind", "agency", "role", "hours"]

    def get_agency(self, obj) -> str:
        return obj.agency.code if obj.agency_id else "@self"


class ProcedureDetailSerializer(ProcedureListSerializer):
    agencies = AgencyRefSerializer(many=True)
    components = ComponentSerializer(many=True)
    fees = FeeSerializer(many=True)
    steps = StepSerializer(many=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields, "applicant_types", "result_name", "result_kind", "legal_basis",
            "conditions", "description", "agencies", "components", "fees", "steps", "valid_from",
        ]
