"""Scenario files shipped with bloodflow (YAML; this file only makes them package data).

``bloodflow demo`` runs ``zhejiang_baseline.yaml`` from here; copy any file to start your own.
"""
