\timing on
CREATE TEMP TABLE cf AS
SELECT p.id AS profile_id, r.id AS resident_id, r.municipality_id,
       EXISTS (SELECT 1 FROM caseload_benefit b WHERE b.household_id = r.household_id AND b.end_date IS NULL) AS running,
       ga."group" AS grp, r.education_level AS r_edu, r.in_doelgroepregister,
       p.hours_available, p.travel_range_km, c.x_km, c.y_km,
       (SELECT array_agg(o.code) FROM matching_soughtoccupation s JOIN employers_occupation o ON o.id = s.occupation_id WHERE s.profile_id = p.id) AS sought,
       (SELECT array_agg(o.code) FROM matching_workexperience s JOIN employers_occupation o ON o.id = s.occupation_id WHERE s.profile_id = p.id) AS exper
  FROM matching_profile p JOIN caseload_resident r ON r.id = p.resident_id
  JOIN caseload_household h ON h.id = r.household_id
  LEFT JOIN caseload_groupassignment ga ON ga.resident_id = r.id AND ga.ended_on IS NULL
  LEFT JOIN matching_pc4centroid c ON c.pc4 = left(h.postcode, 4);
ANALYZE cf;
SELECT (SELECT min(id) FROM employers_vacancy WHERE status='open') AS v \gset
\o /dev/null
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
\o
EXPLAIN (ANALYZE, BUFFERS) SELECT f.resident_id,
  17 * greatest(
    coalesce((SELECT max(CASE WHEN x = o.code THEN 1.0 WHEN left(x,3)=left(o.code,3) THEN 0.75 WHEN left(x,2)=left(o.code,2) THEN 0.5 ELSE 0 END) FROM unnest(f.sought) x),0),
    coalesce((SELECT max(CASE WHEN x = o.code THEN 0.9 WHEN left(x,3)=left(o.code,3) THEN 0.675 WHEN left(x,2)=left(o.code,2) THEN 0.45 ELSE 0 END) FROM unnest(f.exper) x),0))
  + 23 * CASE WHEN f.hours_available IS NULL THEN 0.5 ELSE least(f.hours_available, v.hours_per_week)/greatest(f.hours_available, v.hours_per_week) END
  + 3 * CASE WHEN f.x_km IS NULL OR vc.x_km IS NULL OR f.travel_range_km IS NULL THEN 0.5 ELSE greatest(0, 1 - sqrt(power(vc.x_km-f.x_km,2)+power(vc.y_km-f.y_km,2))/greatest(f.travel_range_km,1)) END
  + 39 * CASE WHEN v.education_level = '' THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) IS NULL THEN 0.3 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) >= (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) THEN 1 WHEN (CASE f.r_edu WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) = (CASE v.education_level WHEN 'geen' THEN 0 WHEN 'vso_pro' THEN 0 WHEN 'vmbo' THEN 1 WHEN 'mbo1' THEN 1 WHEN 'mbo2' THEN 2 WHEN 'buitenlands' THEN 2 WHEN 'mbo34' THEN 3 WHEN 'havo_vwo' THEN 3 WHEN 'hbo_wo' THEN 4 END) - 1 THEN 0.5 ELSE 0 END + 5
  + 8 * CASE f.grp WHEN 1 THEN 1 WHEN 2 THEN 0.6 WHEN 3 THEN 0.1 ELSE 0.3 END AS score
  FROM cf f CROSS JOIN employers_vacancy v JOIN employers_occupation o ON o.id = v.occupation_id
  LEFT JOIN matching_pc4centroid vc ON vc.pc4 = left(v.postcode,4)
 WHERE v.id = :v AND f.running
   AND EXISTS (SELECT 1 FROM matching_consent c WHERE c.resident_id = f.resident_id AND c.scope = 'voorstellen_werkgevers' AND c.withdrawn_at IS NULL)
 ORDER BY score DESC, f.resident_id LIMIT 50;
