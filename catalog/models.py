from django.db import models


class ApplianceModel(models.Model):
    """Local copy of the appliance catalog: the picker reads only this table, so it never waits
    on the external catalog service."""

    class Type(models.TextChoices):
        WASHER = "WASHER", "Washing machine"
        DRYER = "DRYER", "Dryer"
        DISHWASHER = "DISHWASHER", "Dishwasher"
        FRIDGE = "FRIDGE", "Fridge / freezer"
        OVEN = "OVEN", "Oven / cooker"
        BOILER = "BOILER", "Boiler / heating"
        WATER_HEATER = "WATER_HEATER", "Water heater"
        OTHER = "OTHER", "Other"

    brand = models.CharField(max_length=80)
    model_number = models.CharField(max_length=80)
    appliance_type = models.CharField(max_length=16, choices=Type.choices, default=Type.OTHER)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "model_number"]
        constraints = [models.UniqueConstraint(fields=["brand", "model_number"], name="appliance_brand_model_unique")]

    def __str__(self) -> str:
        return f"{self.brand} {self.model_number}"
